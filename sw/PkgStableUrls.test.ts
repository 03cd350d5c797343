import { describe, expect, it } from "vitest";
import type { PkgIndex } from "../src/kernel/PkgIndex.js";
import { integrityFromSha256Hex } from "../src/kernel/verifyIntegrity.js";
import { PkgStableUrls } from "./PkgStableUrls.js";

const WORKER = "https://game.test/app/asset-sw.js";
const INDEX = "https://game.test/app/simvx-assets/pkg-index.json";
const index: PkgIndex = {
  version: 1,
  packages: { game: { files: { "sprites/hero one.png": { url: "../assets/pkg/game/sprites/hero%20one-2cf24dba5f.png", size: 5, sha256: "0".repeat(64), immutable: true } } } },
};

describe("PkgStableUrls", () => {
  it("maps a stable pkg URL to the hashed one the index names, reading the index once", async () => {
    let reads = 0;
    const urls = new PkgStableUrls(WORKER, INDEX, async () => (reads++, new Response(JSON.stringify(index))));
    expect(urls.prefix).toBe("https://game.test/app/@simvx-pkg/");
    expect(await urls.resolve("https://game.test/app/@simvx-pkg/game/sprites/hero%20one.png")).toBe("https://game.test/app/assets/pkg/game/sprites/hero%20one-2cf24dba5f.png");
    expect(await urls.resolve("https://game.test/app/@simvx-pkg/game/sprites/nope.png")).toBeNull();
    expect(await urls.resolve("https://game.test/app/@simvx-pkg/other/sprites/hero%20one.png")).toBeNull();
    expect(await urls.resolve("https://game.test/app/@simvx-pkg/game/%E0%A4%A")).toBeNull();
    expect(await urls.resolve("https://game.test/app/elsewhere.png")).toBeNull();
    expect(reads).toBe(1);
  });

  it("a failed read of the index is tried again on the next request", async () => {
    let reads = 0;
    const urls = new PkgStableUrls(WORKER, INDEX, async () => (++reads === 1 ? new Response("", { status: 503 }) : new Response(JSON.stringify(index))));
    await expect(urls.resolve("https://game.test/app/@simvx-pkg/game/sprites/hero%20one.png")).rejects.toThrow(/503/);
    expect(await urls.resolve("https://game.test/app/@simvx-pkg/game/sprites/hero%20one.png")).toMatch(/hero%20one-2cf24dba5f/);
  });

  it("adds the file's integrity to a pkg route, and leaves other routes, unknown files and an unreadable index alone", async () => {
    const file = "https://game.test/app/assets/pkg/game/sprites/hero%20one-2cf24dba5f.png";
    const urls = new PkgStableUrls(WORKER, INDEX, async () => new Response(JSON.stringify(index)));
    expect(await urls.withIntegrity({ url: file, reason: "pkg", immutable: true })).toEqual({ url: file, reason: "pkg", immutable: true, integrity: integrityFromSha256Hex("0".repeat(64)) });
    expect(await urls.withIntegrity({ url: file, reason: "intercept", immutable: false })).toEqual({ url: file, reason: "intercept", immutable: false });
    const other = { url: "https://game.test/app/assets/pkg/game/other.png", reason: "pkg" as const, immutable: true };
    expect(await urls.withIntegrity(other)).toEqual(other);
    const broken = new PkgStableUrls(WORKER, INDEX, async () => new Response("", { status: 503 }));
    expect(await broken.withIntegrity({ url: file, reason: "pkg", immutable: true })).toEqual({ url: file, reason: "pkg", immutable: true });
  });

  it("gives the integrity the index names for a hashed file URL (what a load() of its pkg:// uri carries)", async () => {
    const urls = new PkgStableUrls(WORKER, INDEX, async () => new Response(JSON.stringify(index)));
    expect(await urls.integrityOf("https://game.test/app/assets/pkg/game/sprites/hero%20one-2cf24dba5f.png")).toBe(integrityFromSha256Hex("0".repeat(64)));
    expect(await urls.integrityOf("https://game.test/app/assets/pkg/game/sprites/other.png")).toBeNull();
  });
});
