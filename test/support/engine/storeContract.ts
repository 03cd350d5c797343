import { describe, expect, it } from "vitest";
import type { EntryMeta, PersistentStore } from "../../../src/engine/PersistentStore.js";

/** A meta for `url` with `size` bytes; tests override what they care about. */
export function metaFor(url: string, size: number, overrides: Partial<EntryMeta> = {}): EntryMeta {
  return { url, etag: `"${url.length}-${size}"`, lastModified: null, size, storedAt: 1, lastUsed: 1, immutable: false, integrity: "sha256-test", ...overrides };
}

function bytesOf(...values: number[]): Uint8Array {
  return Uint8Array.from(values);
}

/** The behaviour every `PersistentStore` must have; run once per implementation. `chunkBytes`: the length of the pieces it keeps bodies in. */
export function describeStoreContract(name: string, makeStore: (options?: { chunkBytes?: number }) => PersistentStore): void {
  describe(`${name} (PersistentStore contract)`, () => {
    it("gives back what was stored, meta and body together", async () => {
      const store = makeStore();
      await store.putMany([{ meta: metaFor("https://a.test/x", 3), body: bytesOf(1, 2, 3) }]);
      const [meta] = await store.getMetas(["https://a.test/x"]);
      expect(meta).toEqual(metaFor("https://a.test/x", 3));
      expect(await store.getBody("https://a.test/x")).toEqual(bytesOf(1, 2, 3));
    });

    it("stores many entries in one call", async () => {
      const store = makeStore();
      await store.putMany([
        { meta: metaFor("https://a.test/1", 1), body: bytesOf(1) },
        { meta: metaFor("https://a.test/2", 2), body: bytesOf(2, 2) },
      ]);
      expect(await store.getBody("https://a.test/1")).toEqual(bytesOf(1));
      expect(await store.getBody("https://a.test/2")).toEqual(bytesOf(2, 2));
      expect((await store.getMetas(["https://a.test/2"]))[0]?.size).toBe(2);
    });

    it("reads many metas in one call, in order, undefined where nothing is stored", async () => {
      const store = makeStore();
      await store.putMany([{ meta: metaFor("https://a.test/1", 1), body: bytesOf(1) }]);
      await store.putMany([{ meta: metaFor("https://a.test/3", 1), body: bytesOf(3) }]);
      const metas = await store.getMetas(["https://a.test/1", "https://a.test/2", "https://a.test/3"]);
      expect(metas.map((meta) => meta?.url)).toEqual(["https://a.test/1", undefined, "https://a.test/3"]);
      expect(await store.getBody("https://a.test/2")).toBeUndefined();
    });

    it("reads many metas with their bodies in one call, in order, undefined where nothing is stored", async () => {
      const store = makeStore({ chunkBytes: 2 });
      await store.putMany([
        { meta: metaFor("https://a.test/1", 1), body: bytesOf(1) },
        { meta: metaFor("https://a.test/3", 3), body: bytesOf(3, 4, 5) },
      ]);
      const copies = await store.getEntries(["https://a.test/3", "https://a.test/2", "https://a.test/1"]);
      expect(copies.map((copy) => copy?.meta.url)).toEqual(["https://a.test/3", undefined, "https://a.test/1"]);
      // A body of two pieces comes back whole.
      expect(copies.map((copy) => copy?.body)).toEqual([bytesOf(3, 4, 5), undefined, bytesOf(1)]);
      expect(await store.getEntries([])).toEqual([]);
    });

    it("replaces an entry's body and meta together", async () => {
      const store = makeStore();
      await store.putMany([{ meta: metaFor("https://a.test/x", 3), body: bytesOf(1, 2, 3) }]);
      await store.putMany([{ meta: metaFor("https://a.test/x", 1, { etag: '"new"' }), body: bytesOf(9) }]);
      expect((await store.getMetas(["https://a.test/x"]))[0]?.etag).toBe('"new"');
      expect(await store.getBody("https://a.test/x")).toEqual(bytesOf(9));
      expect(await store.listMetas()).toHaveLength(1);
    });

    it("keeps stored bytes when the caller later changes its array", async () => {
      const store = makeStore();
      const body = bytesOf(1, 2, 3);
      await store.putMany([{ meta: metaFor("https://a.test/x", 3), body: body }]);
      body.fill(0);
      const read = (await store.getBody("https://a.test/x"))!;
      read.fill(7);
      expect(await store.getBody("https://a.test/x")).toEqual(bytesOf(1, 2, 3));
    });

    it("stores only the bytes of a view, not the rest of its buffer", async () => {
      const store = makeStore();
      const view = bytesOf(0, 1, 2, 3, 4).subarray(1, 3);
      await store.putMany([{ meta: metaFor("https://a.test/x", 2), body: view }]);
      const read = (await store.getBody("https://a.test/x"))!;
      expect(read).toEqual(bytesOf(1, 2));
      expect(read.buffer.byteLength).toBe(2);
    });

    it("patches existing metas and never creates a meta for a missing entry", async () => {
      const store = makeStore();
      await store.putMany([{ meta: metaFor("https://a.test/x", 1), body: bytesOf(1) }]);
      store.touch({ url: "https://a.test/x", lastUsed: 50, freshUntil: 99 });
      store.touch({ url: "https://a.test/gone", lastUsed: 50 });
      await store.flush();
      const [patched, missing] = await store.getMetas(["https://a.test/x", "https://a.test/gone"]);
      expect(patched).toMatchObject({ lastUsed: 50, freshUntil: 99, etag: metaFor("https://a.test/x", 1).etag });
      expect(missing).toBeUndefined();
      expect(await store.listMetas()).toHaveLength(1);
    });

    it("records uses for LRU order, visible after flush", async () => {
      const store = makeStore();
      await store.putMany([{ meta: metaFor("https://a.test/x", 1, { lastUsed: 10 }), body: bytesOf(1) }]);
      store.touch({ url: "https://a.test/x", lastUsed: 30 });
      store.touch({ url: "https://a.test/x", lastUsed: 20 });
      store.touch({ url: "https://a.test/missing", lastUsed: 40 });
      await store.flush();
      expect((await store.getMetas(["https://a.test/x"]))[0]?.lastUsed).toBe(30);
      expect(await store.getMetas(["https://a.test/missing"])).toEqual([undefined]);
    });

    it("a revalidation's patch is read back before any flush, and a later put supersedes it", async () => {
      const store = makeStore();
      const url = "https://a.test/x";
      await store.putMany([{ meta: metaFor(url, 1, { lastUsed: 10, freshUntil: 50 }), body: bytesOf(1) }]);
      store.touch({ url, lastUsed: 20, freshUntil: 99 });
      expect((await store.getMetas([url]))[0]).toMatchObject({ lastUsed: 20, freshUntil: 99 });
      store.touch({ url, lastUsed: 30, freshUntil: undefined });
      expect((await store.getMetas([url]))[0]?.freshUntil).toBeUndefined();
      await store.putMany([{ meta: metaFor(url, 2, { lastUsed: 5, freshUntil: 7 }), body: bytesOf(1, 2) }]);
      await store.flush();
      expect((await store.getMetas([url]))[0]).toMatchObject({ lastUsed: 5, freshUntil: 7, size: 2 });
    });

    it("deletes meta and body of many entries at once", async () => {
      const store = makeStore();
      for (const name of ["a", "b", "c"]) await store.putMany([{ meta: metaFor(`https://a.test/${name}`, 1), body: bytesOf(1) }]);
      await store.delete(["https://a.test/a", "https://a.test/c", "https://a.test/never"]);
      expect((await store.listMetas()).map((meta) => meta.url)).toEqual(["https://a.test/b"]);
      expect(await store.getBody("https://a.test/a")).toBeUndefined();
    });

    it("finds an entry by the integrity of its body, in one read for many; clear forgets it", async () => {
      const store = makeStore();
      await store.putMany([
        { meta: metaFor("https://a.test/a", 1, { integrity: "sha256-AAA=" }), body: bytesOf(1) },
        { meta: metaFor("https://a.test/b", 1, { integrity: "sha256-BBB=" }), body: bytesOf(2) },
      ]);
      expect(await store.urlsByIntegrity(["sha256-BBB=", "sha256-none", "sha256-AAA="])).toEqual(["https://a.test/b", undefined, "https://a.test/a"]);
      await store.clear();
      expect(await store.urlsByIntegrity(["sha256-AAA="])).toEqual([undefined]);
    });

    it("reads a range of a body kept in pieces, across piece boundaries, and the whole body back", async () => {
      const store = makeStore({ chunkBytes: 4 });
      const body = Uint8Array.from({ length: 10 }, (_, i) => i);
      await store.putMany([{ meta: metaFor("https://a.test/x", 10), body }]);
      expect(await store.getRange("https://a.test/x", 0, 2)).toEqual(bytesOf(0, 1));
      expect(await store.getRange("https://a.test/x", 3, 9)).toEqual(bytesOf(3, 4, 5, 6, 7, 8));
      expect(await store.getRange("https://a.test/x", 8, 10)).toEqual(bytesOf(8, 9));
      expect(await store.getRange("https://a.test/x", 4, 8)).toEqual(bytesOf(4, 5, 6, 7));
      expect(await store.getBody("https://a.test/x")).toEqual(body);
      expect(await store.getRange("https://a.test/missing", 0, 2)).toBeUndefined();
    });

    it("a body replaced by a shorter one leaves none of the longer one's pieces behind", async () => {
      const store = makeStore({ chunkBytes: 4 });
      await store.putMany([{ meta: metaFor("https://a.test/x", 10), body: Uint8Array.from({ length: 10 }, (_, i) => i) }]);
      await store.putMany([{ meta: metaFor("https://a.test/x", 3), body: bytesOf(7, 7, 7) }]);
      expect(await store.getBody("https://a.test/x")).toEqual(bytesOf(7, 7, 7));
      expect(await store.getRange("https://a.test/x", 4, 8)).toBeUndefined();
      await store.delete(["https://a.test/x"]);
      expect(await store.getRange("https://a.test/x", 0, 2)).toBeUndefined();
    });

    it("keeps an empty body", async () => {
      const store = makeStore({ chunkBytes: 4 });
      await store.putMany([{ meta: metaFor("https://a.test/empty", 0), body: new Uint8Array(0) }]);
      expect(await store.getBody("https://a.test/empty")).toEqual(new Uint8Array(0));
    });

    it("lists every meta without bodies, and clears everything", async () => {
      const store = makeStore();
      await store.putMany([{ meta: metaFor("https://a.test/a", 2), body: bytesOf(1, 2) }]);
      await store.putMany([{ meta: metaFor("https://a.test/b", 1), body: bytesOf(1) }]);
      const metas = await store.listMetas();
      expect(metas.map((meta) => meta.url).sort()).toEqual(["https://a.test/a", "https://a.test/b"]);
      expect(metas.reduce((sum, meta) => sum + meta.size, 0)).toBe(3);
      await store.clear();
      expect(await store.listMetas()).toEqual([]);
      expect(await store.getBody("https://a.test/a")).toBeUndefined();
    });

    it("a body put piece by piece is no entry until its meta is committed, and replaces the old entry from its first piece", async () => {
      const store = makeStore({ chunkBytes: 4 });
      const url = "https://a.test/streamed";
      await store.putMany([{ meta: metaFor(url, 2), body: bytesOf(9, 9) }]);
      await store.putPieces(url, 0, bytesOf(1, 2, 3, 4, 5, 6, 7, 8));
      expect(await store.getMetas([url])).toEqual([undefined]);
      await store.putPieces(url, 8, bytesOf(9, 10));
      expect(await store.listMetas()).toEqual([]);
      const meta = metaFor(url, 10, { integrity: "pieces-sha256-x" });
      await store.commitPieces(meta);
      expect(await store.getMetas([url])).toEqual([meta]);
      expect(await store.getBody(url)).toEqual(bytesOf(1, 2, 3, 4, 5, 6, 7, 8, 9, 10));
      expect(await store.getRange(url, 3, 9)).toEqual(bytesOf(4, 5, 6, 7, 8, 9));
    });

    it("a commit whose pieces are not all there (deleted, or never put) is refused and leaves no entry", async () => {
      const store = makeStore({ chunkBytes: 4 });
      const url = "https://a.test/streamed";
      await store.putPieces(url, 0, bytesOf(1, 2, 3, 4));
      await expect(store.commitPieces(metaFor(url, 6))).rejects.toBeDefined();
      await store.delete([url]);
      await expect(store.commitPieces(metaFor(url, 4))).rejects.toBeDefined();
      expect(await store.getMetas([url])).toEqual([undefined]);
    });

    it("a committed body is found by its hash only when its integrity is a whole-body SHA-256", async () => {
      const store = makeStore({ chunkBytes: 4 });
      await store.putPieces("https://a.test/whole", 0, bytesOf(1, 2));
      await store.commitPieces(metaFor("https://a.test/whole", 2, { integrity: "sha256-whole" }));
      await store.putPieces("https://a.test/pieces", 0, bytesOf(1, 2));
      await store.commitPieces(metaFor("https://a.test/pieces", 2, { integrity: "pieces-sha256-list" }));
      expect(await store.urlsByIntegrity(["sha256-whole", "pieces-sha256-list"])).toEqual(["https://a.test/whole", undefined]);
    });
  });
}
