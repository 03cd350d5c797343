import "fake-indexeddb/auto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createStore, setMany } from "idb-keyval";
import { RANGE_GROUP_KEYS, getManyDense } from "./denseReads.js";

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
    const ranges = vi.spyOn(IDBObjectStore.prototype, "getAll");
    // Two dense runs, then a third spread one key in four.
    const wanted = [...Array.from({ length: RANGE_GROUP_KEYS * 2 }, (_, i) => keyOf(i)), ...Array.from({ length: RANGE_GROUP_KEYS }, (_, i) => keyOf(RANGE_GROUP_KEYS * 2 + i * 4))].reverse();
    expect(await use("readonly", (store) => getManyDense(store, wanted))).toEqual(wanted.map((key) => `value of ${key}`));
    expect(ranges).toHaveBeenCalledTimes(2);
    expect(gets).toHaveBeenCalledTimes(RANGE_GROUP_KEYS);
  });
});
