import "fake-indexeddb/auto";
import { describe, expect, it, vi } from "vitest";
import { createStore, del, set } from "idb-keyval";
import { IdbStore } from "./IdbStore.js";
import { RANGE_GROUP_KEYS } from "./denseReads.js";
import { spyOnRangeReads } from "../../test/support/engine/rangeReads.js";
import { describeStoreContract, metaFor } from "../../test/support/engine/storeContract.js";

let databases = 0;
function freshStore(options: { chunkBytes?: number } = {}): IdbStore {
  databases += 1;
  return new IdbStore({ dbName: `idb-store-test-${databases}`, touchFlushDelayMs: 60_000, ...options });
}

describeStoreContract("IdbStore", freshStore);

describe("IdbStore", () => {
  it("reads the bodies asked for in one task in one transaction, each caller with an array of its own", async () => {
    const store = freshStore();
    const urls = ["a", "b", "c"].map((name) => `https://a.test/${name}`);
    await store.putMany(urls.map((url, i) => ({ meta: metaFor(url, 2), body: Uint8Array.of(i, i) })));
    const transactions = vi.spyOn(IDBDatabase.prototype, "transaction");
    const reads = await Promise.all([...urls, urls[0]!, "https://a.test/none"].map((url) => store.getBody(url)));
    expect(transactions).toHaveBeenCalledTimes(1);
    transactions.mockRestore();
    expect(reads).toEqual([Uint8Array.of(0, 0), Uint8Array.of(1, 1), Uint8Array.of(2, 2), Uint8Array.of(0, 0), undefined]);
    // Two reads of one body: a caller may transfer its array away, so they never share one.
    expect(reads[3]!.buffer).not.toBe(reads[0]!.buffer);
  });

  it("reads the pieces of many small bodies that lie close together with one range read, a body of two pieces among them", async () => {
    const store = freshStore({ chunkBytes: 4 });
    const urls = Array.from({ length: 12 }, (_, i) => `https://a.test/f${String(i).padStart(2, "0")}`);
    const bodyOf = (i: number) => Uint8Array.from({ length: i === 5 ? 7 : 3 }, (_, j) => i * 10 + j);
    await store.putMany(urls.map((url, i) => ({ meta: metaFor(url, bodyOf(i).length), body: bodyOf(i) })));
    const rangeReads = spyOnRangeReads();
    const reads = await Promise.all([...urls, "https://a.test/f05x"].map((url) => store.getBody(url)));
    expect(reads).toEqual([...urls.map((_, i) => bodyOf(i)), undefined]);
    // One for all the pieces; none per body.
    expect(rangeReads.count()).toBe(1);
    rangeReads.restore();
  });

  it("reads a big batch of small bodies as several ranges issued together, each URL's pieces once even where two ranges overlap", async () => {
    const store = freshStore({ chunkBytes: 4 });
    // "f0010!x" sorts after "f0010" but its piece key ("c:…f0010!x#…") before "c:…f0010#…": the
    // first group's range then holds a piece of the second group's first URL.
    const names = Array.from({ length: RANGE_GROUP_KEYS * 2 }, (_, i) => `f${String(i).padStart(4, "0")}`);
    names.splice(RANGE_GROUP_KEYS, 0, `f${String(RANGE_GROUP_KEYS - 1).padStart(4, "0")}!x`);
    const urls = names.map((name) => `https://a.test/${name}`);
    const bodyOf = (i: number) => Uint8Array.from({ length: i % 5 === 0 ? 7 : 3 }, (_, j) => (i * 10 + j) % 256);
    await store.putMany(urls.map((url, i) => ({ meta: metaFor(url, bodyOf(i).length), body: bodyOf(i) })));
    const rangeReads = spyOnRangeReads();
    const reads = await Promise.all(urls.map((url) => store.getBody(url)));
    expect(reads).toEqual(urls.map((_, i) => bodyOf(i)));
    expect(rangeReads.count()).toBe(3);
    rangeReads.restore();
  });

  it("fails every body read of a batch whose transaction fails", async () => {
    const store = freshStore();
    // readBodies is private: spied on as the one transaction of the batch.
    const readBodies = vi.spyOn(store as unknown as { readBodies(urls: string[]): Promise<unknown[]> }, "readBodies").mockRejectedValue(new DOMException("broken", "UnknownError"));
    const reads = await Promise.allSettled(["x", "y"].map((name) => store.getBody(`https://a.test/${name}`)));
    expect(readBodies).toHaveBeenCalledTimes(1);
    expect(reads.map((read) => read.status)).toEqual(["rejected", "rejected"]);
  });

  it("coalesces many uses into one batched write", async () => {
    const store = freshStore();
    for (const name of ["a", "b", "c"]) await store.putMany([{ meta: metaFor(`https://a.test/${name}`, 1), body: Uint8Array.of(1) }]);
    // patchMetas is private: spied on as the one write a flush makes.
    const patch = vi.spyOn(store as unknown as { patchMetas(patches: unknown[]): Promise<void> }, "patchMetas");
    for (let i = 0; i < 10; i++) for (const name of ["a", "b", "c"]) store.touch({ url: `https://a.test/${name}`, lastUsed: 100 + i });
    expect(patch).not.toHaveBeenCalled();
    await store.flush();
    expect(patch).toHaveBeenCalledTimes(1);
    expect(patch.mock.calls[0]![0]).toHaveLength(3);
    expect((await store.getMetas(["https://a.test/b"]))[0]?.lastUsed).toBe(109);
  });

  it("writes nothing of a batch when one of its entries cannot be stored whole", async () => {
    const store = freshStore();
    // A function cannot be structured-cloned: the meta write fails after the body write began,
    // and after the whole first entry was written.
    const unstorable = { ...metaFor("https://a.test/x", 1), extra: () => 1 };
    const batch = [
      { meta: metaFor("https://a.test/ok", 1), body: Uint8Array.of(7) },
      { meta: unstorable, body: Uint8Array.of(1) },
    ];
    await expect(store.putMany(batch)).rejects.toThrow();
    expect(await store.getBody("https://a.test/x")).toBeUndefined();
    expect(await store.getBody("https://a.test/ok")).toBeUndefined();
    expect(await store.listMetas()).toEqual([]);
  });

  it("a range read reads only the pieces it lies in: another piece missing does not matter to it", async () => {
    const store = freshStore({ chunkBytes: 4 });
    await store.putMany([{ meta: metaFor("https://a.test/x", 12), body: Uint8Array.from({ length: 12 }, (_, i) => i) }]);
    await del("c:https://a.test/x#00000002", createStore(`idb-store-test-${databases}`, "entries"));
    expect(await store.getRange("https://a.test/x", 1, 7)).toEqual(Uint8Array.of(1, 2, 3, 4, 5, 6));
    expect(await store.getRange("https://a.test/x", 7, 10)).toBeUndefined();
    // The whole body comes back short: the engine's check then drops the entry.
    expect((await store.getBody("https://a.test/x"))?.length).toBe(8);
  });

  it("reads a body stored whole by an earlier version (b:<url>), whole and in ranges, and deletes it", async () => {
    const store = freshStore();
    const raw = createStore(`idb-store-test-${databases}`, "entries");
    await set("m:https://a.test/old", metaFor("https://a.test/old", 4), raw);
    await set("b:https://a.test/old", Uint8Array.of(1, 2, 3, 4), raw);
    expect(await store.getBody("https://a.test/old")).toEqual(Uint8Array.of(1, 2, 3, 4));
    expect(await store.getRange("https://a.test/old", 1, 3)).toEqual(Uint8Array.of(2, 3));
    await store.delete(["https://a.test/old"]);
    expect(await store.getBody("https://a.test/old")).toBeUndefined();
  });

  it("reads metas and bodies together in one transaction; a body in the old form is left to getBody", async () => {
    const store = freshStore();
    const raw = createStore(`idb-store-test-${databases}`, "entries");
    const urls = Array.from({ length: 10 }, (_, i) => `https://a.test/f${i}`);
    await store.putMany(urls.map((url, i) => ({ meta: metaFor(url, 1), body: Uint8Array.of(i) })));
    await set("m:https://a.test/old", metaFor("https://a.test/old", 4), raw);
    await set("b:https://a.test/old", Uint8Array.of(1, 2, 3, 4), raw);
    const transactions = vi.spyOn(IDBDatabase.prototype, "transaction");
    const copies = await store.getEntries([...urls, "https://a.test/old", "https://a.test/none"]);
    expect(transactions).toHaveBeenCalledTimes(1);
    transactions.mockRestore();
    expect(copies.slice(0, 10).map((copy) => copy?.body)).toEqual(urls.map((_, i) => Uint8Array.of(i)));
    expect(copies[10]).toEqual({ meta: metaFor("https://a.test/old", 4), body: undefined });
    expect(copies[11]).toBeUndefined();
    expect(await store.getBody("https://a.test/old")).toEqual(Uint8Array.of(1, 2, 3, 4));
  });

  it("keeps entries across store instances on the same database", async () => {
    const first = freshStore();
    await first.putMany([{ meta: metaFor("https://a.test/x", 2), body: Uint8Array.of(4, 5) }]);
    const second = new IdbStore({ dbName: `idb-store-test-${databases}` });
    expect(await second.getBody("https://a.test/x")).toEqual(Uint8Array.of(4, 5));
  });
});
