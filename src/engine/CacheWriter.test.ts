import { describe, expect, it } from "vitest";
import { CacheWriter, MAX_BATCH_BYTES, MAX_BATCH_ENTRIES } from "./CacheWriter.js";
import { MemoryStore } from "./MemoryStore.js";
import type { StoredEntry } from "./PersistentStore.js";
import { quotaError } from "../../test/support/engine/engineHarness.js";
import { metaFor } from "../../test/support/engine/storeContract.js";

/** A MemoryStore that records the size of every `putMany` batch and refuses URLs containing "bad". */
class RecordingStore extends MemoryStore {
  readonly batches: number[] = [];
  readonly knownNew: string[] = [];
  override async putMany(entries: readonly StoredEntry[]): Promise<void> {
    this.batches.push(entries.length);
    for (const entry of entries) if (entry.knownNew === true) this.knownNew.push(entry.meta.url);
    if (entries.some((entry) => entry.meta.url.includes("bad"))) throw new DOMException("cannot clone", "DataCloneError");
    return super.putMany(entries);
  }
}

/** A MemoryStore on a disk of `capacity` bytes: a write past it fails as IndexedDB's quota does. */
class SmallDiskStore extends MemoryStore {
  constructor(private readonly capacity: number) {
    super();
  }
  override async putMany(entries: readonly StoredEntry[]): Promise<void> {
    const replaced = new Set(entries.map((entry) => entry.meta.url));
    const kept = (await this.listMetas()).filter((meta) => !replaced.has(meta.url));
    const total = [...kept, ...entries.map((entry) => entry.meta)].reduce((sum, meta) => sum + meta.size, 0);
    if (total > this.capacity) throw quotaError();
    return super.putMany(entries);
  }
}

const url = (name: string): string => `https://a.test/${name}`;
const write = (writer: CacheWriter, name: string, size: number, lastUsed = 1): Promise<boolean> =>
  writer.write(metaFor(url(name), size, { lastUsed }), new Uint8Array(size).fill(size));

async function storedNames(store: MemoryStore): Promise<string[]> {
  return (await store.listMetas()).map((meta) => meta.url.slice(url("").length)).sort();
}

describe("CacheWriter", () => {
  it("tells the store of a use only a minute after the last it was told of, and still evicts by every use", async () => {
    const store = new MemoryStore();
    const touches: number[] = [];
    const touch = store.touch.bind(store);
    store.touch = (patch) => (touches.push(patch.lastUsed ?? -1), touch(patch));
    const writer = new CacheWriter(store, 250);
    await write(writer, "a", 100, 1_000);
    await write(writer, "b", 100, 2_000);
    writer.noteUsed(url("a"), 30_000);
    writer.noteUsed(url("a"), 61_000);
    writer.noteUsed(url("a"), 62_000);
    expect(touches).toEqual([61_000]);
    // b was used last in the store's words too (2,000 < 61,000), and a's later uses count here.
    writer.noteUsed(url("b"), 20_000);
    await write(writer, "c", 100, 70_000);
    expect(await storedNames(store)).toEqual(["a", "c"]);
  });

  it("tells the store which entries replace nothing it knows of, so it need not delete older pieces", async () => {
    const store = new RecordingStore();
    await store.putMany([{ meta: metaFor(url("old"), 1), body: Uint8Array.of(1) }]);
    store.knownNew.length = 0;
    const writer = new CacheWriter(store, 1_000);
    await Promise.all([write(writer, "old", 2), write(writer, "new", 2)]);
    expect(store.knownNew).toEqual([url("new")]);
    await write(writer, "new", 3);
    expect(store.knownNew).toEqual([url("new")]);
  });

  it("writes that arrive while a batch commits share the next transaction", async () => {
    const store = new RecordingStore();
    const writer = new CacheWriter(store, 1_000_000);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => write(writer, `a${i}`, 10)));
    expect(results.every(Boolean)).toBe(true);
    // The first write starts a transaction at once; the other 19 queue behind it and go together.
    expect(store.batches).toEqual([1, 19]);
    expect(await storedNames(store)).toHaveLength(20);
  });

  it("cuts a long queue into batches of at most MAX_BATCH_ENTRIES entries and MAX_BATCH_BYTES bytes, a bigger entry alone", async () => {
    const store = new RecordingStore();
    const writer = new CacheWriter(store, 64 * MAX_BATCH_BYTES);
    const small = Array.from({ length: 2 * MAX_BATCH_ENTRIES + 1 }, (_, i) => write(writer, `s${i}`, 8));
    const half = MAX_BATCH_BYTES / 2;
    const large = [write(writer, "l0", half), write(writer, "l1", half), write(writer, "l2", half), write(writer, "huge", 2 * MAX_BATCH_BYTES)];
    expect((await Promise.all([...small, ...large])).every(Boolean)).toBe(true);
    // The first write goes at once; the queue behind it in batches: two full ones, two halves that
    // fill one, the third half (the huge entry would overfill it), and the huge entry on its own.
    expect(store.batches).toEqual([1, MAX_BATCH_ENTRIES, MAX_BATCH_ENTRIES, 2, 1, 1]);
  });

  it("an entry the store refuses fails alone; its batch mates are stored", async () => {
    const store = new RecordingStore();
    const writer = new CacheWriter(store, 1_000_000);
    const first = write(writer, "first", 1);
    const rest = ["ok1", "bad", "ok2"].map((name) => write(writer, name, 1));
    expect(await first).toBe(true);
    expect(await Promise.all(rest)).toEqual([true, false, true]);
    expect(await storedNames(store)).toEqual(["first", "ok1", "ok2"]);
  });

  it("keeps only the last of two writes of one URL in a batch", async () => {
    const store = new RecordingStore();
    const writer = new CacheWriter(store, 1_000_000);
    const first = write(writer, "first", 1);
    const older = writer.write(metaFor(url("x"), 2), Uint8Array.of(1, 1));
    const newer = writer.write(metaFor(url("x"), 3), Uint8Array.of(2, 2, 2));
    expect([await first, await older, await newer]).toEqual([true, true, true]);
    expect(await store.getBody(url("x"))).toEqual(Uint8Array.of(2, 2, 2));
  });

  it("evicts least recently used entries for a batch, never a member of the batch", async () => {
    const store = new MemoryStore();
    const writer = new CacheWriter(store, 100);
    await write(writer, "old", 40, 1);
    await write(writer, "older", 40, 0);
    const batch = await Promise.all([write(writer, "n1", 30, 5), write(writer, "n2", 30, 6)]);
    expect(batch).toEqual([true, true]);
    expect(await storedNames(store)).toEqual(["n1", "n2", "old"].sort());
  });

  it("refuses an entry larger than the whole budget and drops the copy stored before it", async () => {
    const store = new MemoryStore();
    const writer = new CacheWriter(store, 50);
    await write(writer, "x", 10);
    expect(await writer.write(metaFor(url("x"), 60), new Uint8Array(60))).toBe(false);
    expect(await storedNames(store)).toEqual([]);
  });

  it("when a batch exceeds the browser's quota, stores its entries one by one, evicting for those that still do not fit", async () => {
    const store = new SmallDiskStore(30);
    const writer = new CacheWriter(store, 1_000_000);
    await write(writer, "old", 10, 1);
    const first = write(writer, "x", 10, 5);
    const batch = [write(writer, "a", 10, 6), write(writer, "b", 10, 7)];
    expect(await first).toBe(true);
    // a+b (20 more bytes) do not fit the disk's 30 together; "a" does alone, "b" after "old" goes.
    expect(await Promise.all(batch)).toEqual([true, true]);
    expect(await storedNames(store)).toEqual(["a", "b", "x"]);
  });
});
