import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FetchEngine } from "./FetchEngine.js";
import { MemoryStore } from "./MemoryStore.js";
import { assetBytes, bytesOf, load, outcomeOf } from "../../test/support/engine/engineHarness.js";
import { startTestOrigin } from "../../test/support/engine/testOrigin.js";
import type { TestOrigin } from "../../test/support/engine/testOrigin.js";

let origin: TestOrigin;
let store: MemoryStore;
let engine: FetchEngine;

beforeEach(async () => {
  origin = await startTestOrigin();
  store = new MemoryStore();
  engine = new FetchEngine({ store });
});
afterEach(() => origin.close());

describe("FetchEngine revalidation", () => {
  it("first load comes from the network with its ETag as version, and is stored", async () => {
    origin.setAsset("/a.bin", assetBytes(1000), { etag: '"v1"' });
    const { result } = await load(engine, `${origin.url}/a.bin`);
    expect(outcomeOf(result)).toMatchObject({ version: '"v1"', servedFrom: "network" });
    expect(bytesOf(result)).toEqual(assetBytes(1000));
    expect(await engine.stats()).toEqual({ ok: true, value: { entries: 1, bytes: 1000, budgetBytes: 512 * 2 ** 20, requests: 1, files: 1 } });
  });

  it("unchanged asset revalidates with one conditional request answered 304 with no body", async () => {
    origin.setAsset("/a.bin", assetBytes(5000));
    await load(engine, `${origin.url}/a.bin`);
    origin.reset();
    const { result } = await load(engine, `${origin.url}/a.bin`);
    expect(bytesOf(result)).toEqual(assetBytes(5000));
    expect(outcomeOf(result).servedFrom).toBe("revalidated");
    expect(origin.counts).toMatchObject({ requests: 1, conditionalRequests: 1, notModified: 1, bodyBytes: 0 });
  });

  it("a page already holding the current version gets notModified, without the store's bytes being read", async () => {
    origin.setAsset("/a.bin", assetBytes(100), { etag: '"v1"' });
    await load(engine, `${origin.url}/a.bin`);
    const bodyReads = vi.spyOn(store, "getBody");
    const { result } = await load(engine, `${origin.url}/a.bin`, { knownVersion: '"v1"' });
    expect(outcomeOf(result)).toEqual({ notModified: true, version: '"v1"', servedFrom: "revalidated" });
    expect(bodyReads).not.toHaveBeenCalled();
    expect(origin.counts.notModified).toBe(1);
  });

  it("with nothing stored, the page's known version is sent as the validator", async () => {
    origin.setAsset("/a.bin", assetBytes(100), { etag: '"v1"' });
    const { result } = await load(engine, `${origin.url}/a.bin`, { knownVersion: '"v1"' });
    expect(outcomeOf(result)).toEqual({ notModified: true, version: '"v1"', servedFrom: "revalidated" });
    expect(origin.counts).toMatchObject({ conditionalRequests: 1, notModified: 1, bodyBytes: 0 });
  });

  it("a known Last-Modified date is sent as If-Modified-Since", async () => {
    const modified = new Date("2024-05-01T10:00:00Z");
    origin.setAsset("/a.txt", "hello", { etag: false, lastModified: modified });
    const { result } = await load(engine, `${origin.url}/a.txt`, { knownVersion: modified.toUTCString() });
    expect(outcomeOf(result)).toMatchObject({ notModified: true, version: modified.toUTCString() });
    expect(origin.counts.notModified).toBe(1);
  });

  it("an asset with only Last-Modified is versioned and revalidated by date", async () => {
    const modified = new Date("2024-05-01T10:00:00Z");
    origin.setAsset("/a.txt", "hello", { etag: false, lastModified: modified });
    const first = await load(engine, `${origin.url}/a.txt`);
    expect(outcomeOf(first.result).version).toBe(modified.toUTCString());
    const second = await load(engine, `${origin.url}/a.txt`);
    expect(outcomeOf(second.result).servedFrom).toBe("revalidated");
    expect(origin.counts.notModified).toBe(1);
  });

  it("changed asset comes back new, and the new copy is what gets revalidated next", async () => {
    origin.setAsset("/a.bin", assetBytes(100, 1), { etag: '"v1"' });
    await load(engine, `${origin.url}/a.bin`);
    origin.setAsset("/a.bin", assetBytes(120, 2), { etag: '"v2"' });
    const changed = await load(engine, `${origin.url}/a.bin`, { knownVersion: '"v1"' });
    expect(outcomeOf(changed.result)).toMatchObject({ version: '"v2"', servedFrom: "network" });
    expect(bytesOf(changed.result)).toEqual(assetBytes(120, 2));
    const again = await load(engine, `${origin.url}/a.bin`);
    expect(outcomeOf(again.result)).toMatchObject({ version: '"v2"', servedFrom: "revalidated" });
    expect(bytesOf(again.result)).toEqual(assetBytes(120, 2));
  });

  it("an entry still fresh per max-age is served from the store without any request", async () => {
    origin.setAsset("/a.bin", assetBytes(100), { cacheControl: "max-age=600" });
    await load(engine, `${origin.url}/a.bin`);
    origin.reset();
    const { result, progress } = await load(engine, `${origin.url}/a.bin`);
    expect(outcomeOf(result).servedFrom).toBe("persistent");
    expect(bytesOf(result)).toEqual(assetBytes(100));
    expect(progress.at(-1)).toEqual([100, 100]);
    expect(origin.counts.requests).toBe(0);
  });

  it("an expired max-age entry is revalidated", async () => {
    let now = 1_000_000;
    engine = new FetchEngine({ store, now: () => now });
    origin.setAsset("/a.bin", assetBytes(100), { cacheControl: "max-age=60" });
    await load(engine, `${origin.url}/a.bin`);
    now += 61_000;
    const { result } = await load(engine, `${origin.url}/a.bin`);
    expect(outcomeOf(result).servedFrom).toBe("revalidated");
    expect(origin.counts.conditionalRequests).toBe(1);
  });

  it("a 304 writes back only news: nothing for a no-cache entry used again within a minute, the new lifetime of a max-age one", async () => {
    let now = 1_000_000;
    engine = new FetchEngine({ store, now: () => now });
    origin.setAsset("/nc.bin", assetBytes(100));
    origin.setAsset("/ma.bin", assetBytes(100), { cacheControl: "max-age=60" });
    await load(engine, `${origin.url}/nc.bin`);
    await load(engine, `${origin.url}/ma.bin`);
    await engine.flush();
    const touches = vi.spyOn(store, "touch");
    now += 61_000;
    expect(outcomeOf((await load(engine, `${origin.url}/ma.bin`)).result).servedFrom).toBe("revalidated");
    // Its new lifetime, and (61 s after the last recorded one) its use.
    expect(touches.mock.calls.map(([patch]) => patch)).toEqual([{ url: `${origin.url}/ma.bin`, freshUntil: now + 60_000 }, { url: `${origin.url}/ma.bin`, lastUsed: now }]);
    touches.mockClear();
    now += 1_000;
    expect(outcomeOf((await load(engine, `${origin.url}/nc.bin`)).result).servedFrom).toBe("revalidated");
    // Its last use was recorded 62 s ago: the writer records this one, and that is all.
    expect(touches.mock.calls.map(([patch]) => patch)).toEqual([{ url: `${origin.url}/nc.bin`, lastUsed: now }]);
    touches.mockClear();
    now += 1_000;
    await load(engine, `${origin.url}/nc.bin`);
    expect(touches).not.toHaveBeenCalled();
    touches.mockRestore();
  });

  it("an immutable (content-hashed) URL is served from the store without revalidation", async () => {
    origin.setAsset("/a.3f2a.bin", assetBytes(100));
    await load(engine, `${origin.url}/a.3f2a.bin`, { immutable: true });
    origin.reset();
    const { result } = await load(engine, `${origin.url}/a.3f2a.bin`, { immutable: true });
    expect(outcomeOf(result).servedFrom).toBe("persistent");
    expect(origin.counts.requests).toBe(0);
  });

  it("a corrupted stored body is detected by its SHA-256, dropped, and fetched again", async () => {
    origin.setAsset("/a.bin", assetBytes(100), { cacheControl: "max-age=600" });
    await load(engine, `${origin.url}/a.bin`);
    const [meta] = await store.getMetas([`${origin.url}/a.bin`]);
    await store.putMany([{ meta: meta!, body: assetBytes(100, 9) }]);
    const { result } = await load(engine, `${origin.url}/a.bin`);
    expect(outcomeOf(result).servedFrom).toBe("network");
    expect(bytesOf(result)).toEqual(assetBytes(100));
    expect(origin.counts.requests).toBe(2);
  });

  it("a corrupted body confirmed by a 304 is refetched without a validator", async () => {
    origin.setAsset("/a.bin", assetBytes(100));
    await load(engine, `${origin.url}/a.bin`);
    const [meta] = await store.getMetas([`${origin.url}/a.bin`]);
    await store.putMany([{ meta: meta!, body: assetBytes(100, 9) }]);
    const { result } = await load(engine, `${origin.url}/a.bin`);
    expect(bytesOf(result)).toEqual(assetBytes(100));
    expect(origin.counts).toMatchObject({ requests: 3, notModified: 1 });
  });

  it("revalidate 'head' asks with HEAD and skips the GET while the ETag matches", async () => {
    origin.setAsset("/a.bin", assetBytes(100), { etag: '"v1"' });
    await load(engine, `${origin.url}/a.bin`, { revalidate: "head" });
    origin.reset();
    const same = await load(engine, `${origin.url}/a.bin`, { revalidate: "head" });
    expect(outcomeOf(same.result).servedFrom).toBe("revalidated");
    expect(bytesOf(same.result)).toEqual(assetBytes(100));
    expect(origin.counts).toMatchObject({ requests: 1, heads: 1, bodyBytes: 0 });
    origin.setAsset("/a.bin", assetBytes(100, 5), { etag: '"v2"' });
    const changed = await load(engine, `${origin.url}/a.bin`, { revalidate: "head" });
    expect(bytesOf(changed.result)).toEqual(assetBytes(100, 5));
    expect(origin.counts).toMatchObject({ requests: 3, heads: 2 });
  });

  it("a version hint that cannot be a header value is ignored, not sent", async () => {
    origin.setAsset("/a.bin", assetBytes(10));
    const { result } = await load(engine, `${origin.url}/a.bin`, { knownVersion: '"v1"\r\nX-Evil: 1' });
    expect(bytesOf(result)).toEqual(assetBytes(10));
    expect(origin.counts.conditionalRequests).toBe(0);
  });

  it("a URL fragment is not part of the cache key", async () => {
    origin.setAsset("/a.bin", assetBytes(10));
    await load(engine, `${origin.url}/a.bin#one`);
    const { result } = await load(engine, `${origin.url}/a.bin#two`);
    expect(outcomeOf(result).servedFrom).toBe("revalidated");
  });
});
