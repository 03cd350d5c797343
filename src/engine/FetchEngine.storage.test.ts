import { createHash } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FetchEngine } from "./FetchEngine.js";
import { BODY_CHUNK_BYTES, type EntryMeta } from "./PersistentStore.js";
import { MemoryStore } from "./MemoryStore.js";
import { assetBytes, BrokenStore, bytesOf, load, outcomeOf, QuotaStore, startLoad, steppingClock } from "../../test/support/engine/engineHarness.js";
import { startTestOrigin } from "../../test/support/engine/testOrigin.js";
import type { TestOrigin } from "../../test/support/engine/testOrigin.js";

let origin: TestOrigin;

beforeEach(async () => {
  origin = await startTestOrigin();
});
afterEach(() => origin.close());

async function storedUrls(store: MemoryStore): Promise<string[]> {
  return (await store.listMetas()).map((meta) => meta.url.replace(origin.url, "")).sort();
}

describe("FetchEngine storage", () => {
  it("Cache-Control: no-store is never cached", async () => {
    const store = new MemoryStore();
    const engine = new FetchEngine({ store });
    origin.setAsset("/a.bin", assetBytes(100), { cacheControl: "no-store" });
    await load(engine, `${origin.url}/a.bin`);
    const { result } = await load(engine, `${origin.url}/a.bin`);
    expect(outcomeOf(result).servedFrom).toBe("network");
    expect(origin.counts.conditionalRequests).toBe(0);
    expect(await store.listMetas()).toEqual([]);
  });

  it("Vary: * is never cached", async () => {
    const store = new MemoryStore();
    origin.setAsset("/a.bin", assetBytes(100), { headers: { vary: "*" } });
    await load(new FetchEngine({ store }), `${origin.url}/a.bin`);
    expect(await store.listMetas()).toEqual([]);
  });

  it("a new response that may not be stored drops the outdated stored copy", async () => {
    const store = new MemoryStore();
    const engine = new FetchEngine({ store });
    origin.setAsset("/a.bin", assetBytes(100, 1));
    await load(engine, `${origin.url}/a.bin`);
    origin.setAsset("/a.bin", assetBytes(100, 2), { cacheControl: "no-store" });
    await load(engine, `${origin.url}/a.bin`);
    expect(await store.listMetas()).toEqual([]);
  });

  it("with writeBehind the answer does not wait for the store, and flush() finishes the write", async () => {
    const store = new MemoryStore();
    const engine = new FetchEngine({ store, writeBehind: true });
    origin.setAsset("/behind.bin", assetBytes(64));
    const first = await startLoad(engine, `${origin.url}/behind.bin`);
    expect(bytesOf(first.result)).toEqual(assetBytes(64));
    await engine.flush();
    expect((await store.listMetas()).map((meta) => meta.url)).toEqual([`${origin.url}/behind.bin`]);
  });

  it("with writeBehind a second load waits for the first one's write and revalidates", async () => {
    const store = new MemoryStore();
    const engine = new FetchEngine({ store, writeBehind: true });
    origin.setAsset("/twice.bin", assetBytes(64));
    await startLoad(engine, `${origin.url}/twice.bin`);
    const second = await startLoad(engine, `${origin.url}/twice.bin`);
    expect(outcomeOf(second.result).servedFrom).toBe("revalidated");
    expect(origin.counts.notModified).toBe(1);
  });

  it("with writeBehind stores wait while another request is in flight, unless a request for the same URL needs them", async () => {
    const store = new MemoryStore();
    const engine = new FetchEngine({ store, writeBehind: true });
    origin.setAsset("/quick.bin", assetBytes(64));
    origin.setAsset("/again.bin", assetBytes(32));
    origin.setAsset("/slow.bin", assetBytes(64));
    origin.fault("/slow.bin", { kind: "hold" });
    const slow = startLoad(engine, `${origin.url}/slow.bin`);
    await origin.waitForRequests("/slow.bin", 1);
    await startLoad(engine, `${origin.url}/quick.bin`);
    await startLoad(engine, `${origin.url}/again.bin`);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await storedUrls(store)).toEqual([]);
    // A second load of /again.bin reads the store: its held write goes first, so it revalidates.
    expect(outcomeOf((await startLoad(engine, `${origin.url}/again.bin`)).result).servedFrom).toBe("revalidated");
    expect(await storedUrls(store)).toEqual(["/again.bin"]);
    origin.release();
    await slow;
    await engine.flush();
    expect(await storedUrls(store)).toEqual(["/again.bin", "/quick.bin", "/slow.bin"]);
  });

  it("cache: false neither reads nor writes the store", async () => {
    const store = new MemoryStore();
    const engine = new FetchEngine({ store });
    origin.setAsset("/a.bin", assetBytes(100));
    await load(engine, `${origin.url}/a.bin`, { cache: false });
    expect(await store.listMetas()).toEqual([]);
    await load(engine, `${origin.url}/a.bin`);
    const { result } = await load(engine, `${origin.url}/a.bin`, { cache: false });
    expect(outcomeOf(result).servedFrom).toBe("network");
    expect(origin.counts).toMatchObject({ requests: 3, conditionalRequests: 0 });
  });

  it("past the budget, the least recently used entries are evicted", async () => {
    const store = new MemoryStore();
    const engine = new FetchEngine({ store, budgetBytes: 250, now: steppingClock() });
    for (const name of ["a", "b", "c"]) origin.setAsset(`/${name}.bin`, assetBytes(100));
    await load(engine, `${origin.url}/a.bin`);
    await load(engine, `${origin.url}/b.bin`);
    await load(engine, `${origin.url}/a.bin`); // a is now more recent than b (a 304: a request, no new file)
    await load(engine, `${origin.url}/c.bin`);
    expect(await storedUrls(store)).toEqual(["/a.bin", "/c.bin"]);
    expect(await engine.stats()).toEqual({ ok: true, value: { entries: 2, bytes: 200, budgetBytes: 250, requests: 4, files: 3 } });
  });

  it("an asset larger than the whole budget loads but is not stored", async () => {
    const store = new MemoryStore();
    const engine = new FetchEngine({ store, budgetBytes: 50 });
    origin.setAsset("/a.bin", assetBytes(100));
    expect(bytesOf((await load(engine, `${origin.url}/a.bin`)).result)).toEqual(assetBytes(100));
    expect(await store.listMetas()).toEqual([]);
  });

  it("a store that throws QuotaExceededError still gives a successful load", async () => {
    const store = new QuotaStore(Number.POSITIVE_INFINITY);
    const engine = new FetchEngine({ store });
    origin.setAsset("/a.bin", assetBytes(100));
    const { result } = await load(engine, `${origin.url}/a.bin`);
    expect(outcomeOf(result).servedFrom).toBe("network");
    expect(bytesOf(result)).toEqual(assetBytes(100));
    expect(store.puts).toBe(2);
    expect(await store.listMetas()).toEqual([]);
  });

  it("a full quota evicts older entries and stores the new one on the retry", async () => {
    const store = new QuotaStore();
    const engine = new FetchEngine({ store, now: steppingClock() });
    origin.setAsset("/old.bin", assetBytes(100));
    origin.setAsset("/new.bin", assetBytes(100));
    await load(engine, `${origin.url}/old.bin`);
    store.failNextPuts(1);
    store.puts = 0;
    expect(bytesOf((await load(engine, `${origin.url}/new.bin`)).result)).toEqual(assetBytes(100));
    expect(store.puts).toBe(2);
    expect(await storedUrls(store)).toEqual(["/new.bin"]);
  });

  it("a store that fails on every call never fails a load", async () => {
    const engine = new FetchEngine({ store: new BrokenStore() });
    origin.setAsset("/a.bin", assetBytes(100));
    for (let i = 0; i < 2; i++) {
      const { result } = await load(engine, `${origin.url}/a.bin`);
      expect(bytesOf(result)).toEqual(assetBytes(100));
    }
    const stats = await engine.stats();
    expect(stats.ok).toBe(false);
  });

  it("a store that fails on every call never fails a load by integrity, nor a page's range read", async () => {
    const store = new BrokenStore();
    const lookups = vi.spyOn(store, "urlsByIntegrity");
    const ranges = vi.spyOn(store, "getRange");
    const engine = new FetchEngine({ store });
    const bytes = assetBytes(100);
    origin.setAsset("/a.bin", bytes);
    const integrity = `sha256-${createHash("sha256").update(bytes).digest("base64")}`;
    for (let i = 0; i < 2; i++) {
      const { result } = await load(engine, `${origin.url}/a.bin`, { integrity });
      expect(bytesOf(result)).toEqual(bytes);
    }
    // A page's range read of a large stored body asks the store for the pieces only.
    const meta: EntryMeta = { url: `${origin.url}/a.bin`, etag: null, lastModified: null, size: BODY_CHUNK_BYTES * 2, storedAt: 0, lastUsed: 0, immutable: false, integrity, chunks: { chunkBytes: BODY_CHUNK_BYTES, integrity: [integrity, integrity] } };
    expect(await engine.readStoredRange(meta, 0, 10)).toBeNull();
    // The failures came from the store calls themselves, not from a store that had nothing.
    expect(lookups).toHaveBeenCalled();
    await expect(lookups.mock.results[0]!.value).rejects.toThrow("broken");
    expect(ranges).toHaveBeenCalledTimes(1);
    await expect(ranges.mock.results[0]!.value).rejects.toThrow("broken");
  });

  it("concurrent loads of different URLs look up the store in one batched read", async () => {
    const store = new MemoryStore();
    const engine = new FetchEngine({ store });
    const names = ["a", "b", "c", "d", "e"];
    for (const name of names) origin.setAsset(`/${name}.bin`, assetBytes(10));
    const reads = vi.spyOn(store, "getMetas");
    await Promise.all(names.map((name) => load(engine, `${origin.url}/${name}.bin`)));
    expect(reads).toHaveBeenCalledTimes(1);
    expect(reads.mock.calls[0]![0]).toHaveLength(5);
  });

  it("invalidate drops one URL and clear drops everything", async () => {
    const store = new MemoryStore();
    const engine = new FetchEngine({ store });
    for (const name of ["a", "b", "c"]) {
      origin.setAsset(`/${name}.bin`, assetBytes(10));
      await load(engine, `${origin.url}/${name}.bin`);
    }
    expect(await engine.invalidate(`${origin.url}/b.bin`)).toEqual({ ok: true, value: undefined });
    expect(await storedUrls(store)).toEqual(["/a.bin", "/c.bin"]);
    expect(await engine.clear()).toEqual({ ok: true, value: undefined });
    expect(await store.listMetas()).toEqual([]);
  });

  it("a response that arrives after clear() is not stored", async () => {
    const store = new MemoryStore();
    const engine = new FetchEngine({ store });
    origin.setAsset("/a.bin", assetBytes(10));
    origin.fault("/a.bin", { kind: "hold", times: 1 });
    const pending = load(engine, `${origin.url}/a.bin`);
    await origin.waitForRequests("/a.bin", 1);
    await engine.clear();
    origin.release();
    expect(bytesOf((await pending).result)).toEqual(assetBytes(10));
    expect(await store.listMetas()).toEqual([]);
  });
});
