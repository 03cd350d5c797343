import { promisifyRequest } from "idb-keyval";

/**
 * Most records a range may hold beyond the ones asked for before reading it whole stops paying:
 * a quarter more, plus two. Each request is a round trip to the browser's storage process, so a
 * batch whose keys lie close together (the metas of one folder, the files a manifest lists) is
 * read in three requests (count, keys, values) instead of one per key.
 */
function rangeIsDense(count: number, wanted: number): boolean {
  return count <= wanted + Math.floor(wanted / 4) + 2;
}

/** Below this many keys, one request each costs about what the range's three do. */
export const MIN_RANGE_KEYS = 8;

/**
 * The values of `keys` in `store`, in their order (`undefined` where none): from one range read
 * when the keys lie close together, else one `get` each. Runs inside the caller's transaction.
 */
export async function getManyDense(store: IDBObjectStore, keys: readonly string[]): Promise<unknown[]> {
  if (keys.length >= MIN_RANGE_KEYS) {
    const sorted = [...keys].sort();
    const range = IDBKeyRange.bound(sorted[0]!, sorted[sorted.length - 1]!);
    const byKey = await readRangeIfDense(store, range, new Set(keys).size);
    if (byKey !== null) return keys.map((key) => byKey.get(key));
  }
  return Promise.all(keys.map((key) => promisifyRequest(store.get(key))));
}

/**
 * Every record of `range` by key, when the range holds at most a few more than `wanted`
 * (`rangeIsDense`); null when it holds more, and nothing was read but the count.
 */
export async function readRangeIfDense(store: IDBObjectStore, range: IDBKeyRange, wanted: number): Promise<Map<string, unknown> | null> {
  const count = await promisifyRequest(store.count(range));
  if (!rangeIsDense(count, wanted)) return null;
  // Issued together in one turn: both come back in key order.
  const [keys, values] = await Promise.all([promisifyRequest(store.getAllKeys(range)), promisifyRequest(store.getAll(range))]);
  const byKey = new Map<string, unknown>();
  keys.forEach((key, i) => byKey.set(String(key), values[i]));
  return byKey;
}
