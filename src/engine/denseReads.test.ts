import "fake-indexeddb/auto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createStore, setMany } from "idb-keyval";
import { RANGE_GROUP_KEYS, getManyDense } from "./denseReads.js";
import { spyOnRangeReads } from "../../test/support/engine/rangeReads.js";

let databases = 0;
async function storeWith(keys: readonly string[]) {
  databases += 1;
  const use = createStore(`dense-reads-test-${databases}`, "records");
  await setMany(keys.map((key) => [key, `value of ${key}`]), use);
  return use;
}
const keyOf = (i: number) => `k:${String(i).padStart(4, "0")}`;

afterEach(() => vi.restoreAllMocks());

describe("getManyDense", () => {
  it("reads keys that lie close together with one range read, in the order asked, missing ones undefined", async () => {
    const use = await storeWith(Array.from({ length: 40 }, (_, i) => keyOf(i)));
    const gets = vi.spyOn(IDBObjectStore.prototype, "get");
    const wanted = [keyOf(12), keyOf(10), "k:0011.5", ...Array.from({ length: 8 }, (_, i) => keyOf(14 + i))];
    const values = await use("readonly", (store) => getManyDense(store, wanted));
    expect(values).toEqual(wanted.map((key) => (key.endsWith(".5") ? undefined : `value of ${key}`)));
    expect(gets).not.toHaveBeenCalled();
  });

  it("reads keys spread over many others one by one, and a few keys always so", async () => {
    const use = await storeWith(Array.from({ length: 200 }, (_, i) => keyOf(i)));
    const gets = vi.spyOn(IDBObjectStore.prototype, "get");
    const spread = Array.from({ length: 10 }, (_, i) => keyOf(i * 20));
    expect(await use("readonly", (store) => getManyDense(store, spread))).toEqual(spread.map((key) => `value of ${key}`));
    expect(gets).toHaveBeenCalledTimes(10);
    gets.mockClear();
    const few = [keyOf(1), keyOf(2)];
    expect(await use("readonly", (store) => getManyDense(store, few))).toEqual(few.map((key) => `value of ${key}`));
    expect(gets).toHaveBeenCalledTimes(2);
  });

  it("reads a big batch as ranges of at most RANGE_GROUP_KEYS keys, a sparse one of them key by key", async () => {
    const count = RANGE_GROUP_KEYS * 3;
    const use = await storeWith(Array.from({ length: count + 400 }, (_, i) => keyOf(i)));
    const gets = vi.spyOn(IDBObjectStore.prototype, "get");
    const ranges = spyOnRangeReads();
    // Two dense runs, then a third spread one key in four.
    const wanted = [...Array.from({ length: RANGE_GROUP_KEYS * 2 }, (_, i) => keyOf(i)), ...Array.from({ length: RANGE_GROUP_KEYS }, (_, i) => keyOf(RANGE_GROUP_KEYS * 2 + i * 4))].reverse();
    expect(await use("readonly", (store) => getManyDense(store, wanted))).toEqual(wanted.map((key) => `value of ${key}`));
    expect(ranges.count()).toBe(2);
    ranges.restore();
    expect(gets).toHaveBeenCalledTimes(RANGE_GROUP_KEYS);
  });

  it("reads keys and values apart where the store has no getAllRecords (browsers before IndexedDB 3.0)", async () => {
    const use = await storeWith(Array.from({ length: 40 }, (_, i) => keyOf(i)));
    const proto = IDBObjectStore.prototype as unknown as { getAllRecords?: unknown };
    const own = Object.getOwnPropertyDescriptor(proto, "getAllRecords");
    delete proto.getAllRecords;
    try {
      const keys = vi.spyOn(IDBObjectStore.prototype, "getAllKeys");
      const wanted = Array.from({ length: 20 }, (_, i) => keyOf(19 - i));
      expect(await use("readonly", (store) => getManyDense(store, wanted))).toEqual(wanted.map((key) => `value of ${key}`));
      expect(keys).toHaveBeenCalledTimes(1);
    } finally {
      if (own !== undefined) Object.defineProperty(proto, "getAllRecords", own);
    }
  });
});
