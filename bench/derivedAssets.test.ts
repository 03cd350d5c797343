import { createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PkgIndex } from "../src/kernel/PkgIndex.js";
import { byteRange } from "./AssetResponder.js";
import { AssetStore } from "./AssetStore.js";
import { MANIFEST_PATH, PKG_INDEX_PATH, pkgUriOf } from "./derivedAssets.js";

let temp: string;
let store: AssetStore;

beforeAll(async () => {
  temp = await mkdtemp(join(tmpdir(), "bench-derived-"));
  store = await AssetStore.generate(temp, { smallCount: 5, smallBytes: 256, largeCount: 1, largeBytes: 1024, imageCount: 1 });
});

afterAll(() => rm(temp, { recursive: true, force: true }));

const json = <T>(path: string): T => JSON.parse(new TextDecoder().decode(store.derived(path)?.bytes)) as T;
const base64Sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("base64");

describe("the small set's pkg index, packs and manifest", () => {
  it("packs the small set as the plugin does: each file at its offset of one pack, its own URL beside it", () => {
    const index = json<PkgIndex>(PKG_INDEX_PATH);
    const files = index.packages.bench?.files ?? {};
    expect(Object.keys(files)).toEqual(store.paths("small").map((path) => path.slice("/assets/".length)));
    const [id, pack] = Object.entries(index.packs ?? {})[0] ?? [];
    expect(Object.keys(index.packs ?? {})).toHaveLength(1);
    const packBytes = store.derived(new URL(pack?.url ?? "", `http://x${PKG_INDEX_PATH}`).pathname)?.bytes as Uint8Array;
    expect(packBytes.byteLength).toBe(pack?.size);
    for (const path of store.paths("small")) {
      const file = files[path.slice("/assets/".length)];
      const own = store.get(path)?.bytes as Uint8Array;
      expect(new URL(file?.url ?? "", `http://x${PKG_INDEX_PATH}`).pathname).toBe(path);
      expect(file?.pack?.id).toBe(id);
      expect(new Uint8Array(packBytes.subarray(file?.pack?.offset, (file?.pack?.offset ?? 0) + own.byteLength))).toEqual(new Uint8Array(own));
    }
    expect(pkgUriOf("/assets/small/0003.json")).toBe("pkg://bench/small/0003.json");
  });

  it("lists every small asset in the manifest with its integrity, and follows a bump", async () => {
    const path = "/assets/small/0002.json";
    const entry = () => json<{ assets: Array<{ uri: string; size: number; integrity: string }> }>(MANIFEST_PATH).assets.find((asset) => asset.uri === path);
    expect(entry()).toEqual({ uri: path, size: 256, integrity: `sha256-${base64Sha256(store.get(path)?.bytes as Uint8Array)}` });
    const before = store.derived(MANIFEST_PATH)?.etag;
    await store.bump(path);
    expect(entry()?.integrity).toBe(`sha256-${base64Sha256(store.get(path)?.bytes as Uint8Array)}`);
    expect(store.derived(MANIFEST_PATH)?.etag).not.toBe(before);
    await store.reset();
    expect(store.derived(MANIFEST_PATH)?.etag).toBe(before);
  });
});

describe("byteRange", () => {
  it("reads one satisfiable range, and leaves anything else to a whole-body answer", () => {
    expect(byteRange("bytes=10-19", 100)).toEqual({ first: 10, last: 19 });
    expect(byteRange("bytes=90-", 100)).toEqual({ first: 90, last: 99 });
    expect(byteRange("bytes=90-200", 100)).toEqual({ first: 90, last: 99 });
    expect(byteRange(undefined, 100)).toBeNull();
    expect(byteRange("bytes=100-", 100)).toBeNull();
    expect(byteRange("bytes=0-1,5-6", 100)).toBeNull();
    expect(byteRange("bytes=-5", 100)).toBeNull();
  });
});
