import { execFileSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumTrustFlags, makeSelfSignedCertificate, type SelfSignedCertificate } from "./selfSignedCertificate.js";

let temp: string;
let certificate: SelfSignedCertificate;

beforeAll(async () => {
  temp = await mkdtemp(join(tmpdir(), "bench-cert-"));
  certificate = await makeSelfSignedCertificate(temp);
});

afterAll(() => rm(temp, { recursive: true, force: true }));

describe("makeSelfSignedCertificate", () => {
  it("makes a certificate for 127.0.0.1 that its own key signed", () => {
    const x509 = new X509Certificate(certificate.cert);
    expect(x509.subjectAltName).toBe("IP Address:127.0.0.1");
    expect(x509.checkIP("127.0.0.1")).toBe("127.0.0.1");
    expect(x509.verify(x509.publicKey)).toBe(true);
    expect(certificate.key).toContain("PRIVATE KEY");
  });

  it("hashes the SPKI as Chromium's documented openssl recipe does", () => {
    // The recipe from Chromium's --ignore-certificate-errors-spki-list help.
    const publicKeyPem = execFileSync("openssl", ["x509", "-pubkey", "-noout"], { input: certificate.cert });
    const spki = execFileSync("openssl", ["pkey", "-pubin", "-outform", "der"], { input: publicKeyPem });
    const expected = execFileSync("openssl", ["dgst", "-sha256", "-binary"], { input: spki }).toString("base64");
    expect(certificate.spkiSha256).toBe(expected);
    expect(chromiumTrustFlags(certificate)).toEqual([`--ignore-certificate-errors-spki-list=${expected}`]);
  });

  it("makes a new key every time, so nothing outlives the run", async () => {
    const other = await makeSelfSignedCertificate(temp);
    expect(other.spkiSha256).not.toBe(certificate.spkiSha256);
  });
});
