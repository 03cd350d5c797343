import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { integrityFromSha256Hex, sha256Hex, sha256Integrity, sha256Keys, sha256Satisfies, verifyIntegrity } from "./verifyIntegrity.js";

const bytes = new TextEncoder().encode("alert('Hello, world.');");
const other = new TextEncoder().encode("alert('Hello, world!');");

function sri(algorithm: "sha256" | "sha384" | "sha512", data: Uint8Array, encoding: "base64" | "base64url" = "base64"): string {
  return `${algorithm}-${createHash(algorithm).update(data).digest(encoding)}`;
}

describe("verifyIntegrity", () => {
  it.each(["sha256", "sha384", "sha512"] as const)("accepts matching %s metadata and rejects other bytes", async (algorithm) => {
    expect(await verifyIntegrity(bytes, sri(algorithm, bytes))).toBe(true);
    expect(await verifyIntegrity(other, sri(algorithm, bytes))).toBe(false);
  });

  it("matches the SRI spec's published example digest", async () => {
    // From the SRI spec, section 3.2: the sha384 of "alert('Hello, world.');".
    expect(await verifyIntegrity(bytes, "sha384-H8BRh8j48O9oYatfu5AZzq6A9RINhZO5H16dQZngK7T62em8MUt1FLm52t+eX6xO")).toBe(true);
  });

  it("passes when any token of the strongest algorithm matches", async () => {
    expect(await verifyIntegrity(bytes, `${sri("sha512", other)} ${sri("sha512", bytes)}`)).toBe(true);
  });

  it("only the strongest algorithm counts: a matching weaker token does not rescue a wrong strong one", async () => {
    expect(await verifyIntegrity(bytes, `${sri("sha256", bytes)} ${sri("sha384", other)}`)).toBe(false);
    expect(await verifyIntegrity(bytes, `${sri("sha256", other)} ${sri("sha512", bytes)}`)).toBe(true);
  });

  it("ignores ?options, extra whitespace, algorithm case and unknown algorithms", async () => {
    const token = sri("sha256", bytes);
    expect(await verifyIntegrity(bytes, `  md5-abc\n${token}?foo=bar\t `)).toBe(true);
    expect(await verifyIntegrity(bytes, token.replace("sha256", "SHA256"))).toBe(true);
  });

  it("accepts URL-safe base64 and missing padding", async () => {
    const urlSafe = sri("sha256", bytes, "base64url");
    expect(urlSafe.endsWith("=")).toBe(false);
    expect(await verifyIntegrity(bytes, urlSafe)).toBe(true);
  });

  it.each([
    ["empty metadata", ""],
    ["only whitespace", "  \n "],
    ["a typo in the algorithm", "sha-256-abc"],
    ["only unsupported algorithms", "md5-rL0Y20zC+Fzt72VPzMSk2A=="],
    ["no value", "sha256-"],
    ["a value that is not base64", "sha256-not*base64!"],
    ["a truncated digest", "sha256-AAAA"],
  ])("fails closed on %s", async (_name, integrity) => {
    expect(await verifyIntegrity(bytes, integrity)).toBe(false);
  });

  it("checks empty content too", async () => {
    const empty = new Uint8Array(0);
    expect(await verifyIntegrity(empty, sri("sha256", empty))).toBe(true);
    expect(await verifyIntegrity(empty, sri("sha256", bytes))).toBe(false);
  });

  it("works on a view into a larger buffer", async () => {
    const padded = new Uint8Array(bytes.length + 10);
    padded.set(bytes, 5);
    expect(await verifyIntegrity(padded.subarray(5, 5 + bytes.length), sri("sha256", bytes))).toBe(true);
  });
});

describe("sha256 helpers", () => {
  it("sha256Hex gives the lower-case hex digest", async () => {
    expect(await sha256Hex(bytes)).toBe(createHash("sha256").update(bytes).digest("hex"));
  });

  it("sha256Integrity gives verifiable sha256-base64 metadata", async () => {
    const integrity = await sha256Integrity(bytes);
    expect(integrity).toBe(sri("sha256", bytes));
    expect(await verifyIntegrity(bytes, integrity)).toBe(true);
  });

  it("integrityFromSha256Hex turns an index hash into SRI metadata", async () => {
    expect(integrityFromSha256Hex(await sha256Hex(bytes))).toBe(sri("sha256", bytes));
    expect(() => integrityFromSha256Hex("xyz")).toThrow(TypeError);
  });

  it("sha256Keys gives the stored form of each deciding SHA-256 token, the canonical one as it is", () => {
    const canonical = sri("sha256", bytes);
    expect(sha256Keys(canonical)).toEqual([canonical]);
    expect(sha256Keys(`${sri("sha256", bytes, "base64url").replace(/=+$/, "")}?ct=x  ${sri("sha256", other)}`)).toEqual([canonical, sri("sha256", other)]);
    expect(sha256Keys(`${canonical} ${sri("sha384", bytes)}`)).toEqual([]);
    expect(sha256Keys("sha256-tooshort")).toEqual([]);
  });

  it("sha256Satisfies decides without hashing, and defers to a stronger algorithm", () => {
    const canonical = sri("sha256", bytes);
    expect(sha256Satisfies(canonical, canonical)).toBe(true);
    expect(sha256Satisfies(canonical, sri("sha256", bytes, "base64url"))).toBe(true);
    expect(sha256Satisfies(canonical, sri("sha256", other))).toBe(false);
    expect(sha256Satisfies(canonical, sri("sha512", bytes))).toBeNull();
  });
});
