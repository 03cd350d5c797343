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
 * Most keys one range read covers. Several smaller ranges issued together overlap: Chromium's
 * storage process reads the next while the page decodes the last. 1,000 stored 4 KiB bodies came
 * in 18–25 ms as ranges of 25–250, against 34–38 ms as one range (issue 15's revalidation).
 */
export const RANGE_GROUP_KEYS = 128;

/** `sorted` cut into runs of at most `RANGE_GROUP_KEYS`, in order. */
export function rangeGroups<T>(sorted: readonly T[]): T[][] {
  const groups: T[][] = [];
  for (let start = 0; start < sorted.length; start += RANGE_GROUP_KEYS) groups.push(sorted.slice(start, start + RANGE_GROUP_KEYS));
  return groups;
}

/**
 * The values of `keys` in `store`, in their order (`undefined` where none): keys that lie close
 * together from range reads, the others with one `get` each. Runs inside the caller's transaction.
 */
export async function getManyDense(store: IDBObjectStore, keys: readonly string[]): Promise<unknown[]> {
  if (keys.length < MIN_RANGE_KEYS) return Promise.all(keys.map((key) => promisifyRequest(store.get(key))));
  const byKey = new Map<string, unknown>();
  const groups = rangeGroups([...new Set(keys)].sort());
  await Promise.all(
    groups.map(async (group) => {
      const read = group.length < MIN_RANGE_KEYS ? null : await readRangeIfDense(store, IDBKeyRange.bound(group[0]!, group[group.length - 1]!), group.length);
      if (read !== null) {
        for (const key of group) byKey.set(key, read.get(key));
        return;
      }
      const values = await Promise.all(group.map((key) => promisifyRequest(store.get(key))));
      group.forEach((key, i) => byKey.set(key, values[i]));
    }),
  );
  return keys.map((key) => byKey.get(key));
}

/**
 * Every record of `range` by key, when the range holds at most a few more than `wanted`
 * (`rangeIsDense`); null when it holds more, and nothing was read but the count.
 */
export async function readRangeIfDense(store: IDBObjectStore, range: IDBKeyRange, wanted: number): Promise<Map<string, unknown> | null> {
  const count = await promisifyRequest(store.count(range));
  if (!rangeIsDense(count, wanted)) return null;
  const byKey = new Map<string, unknown>();
  const withRecords = store as RecordsStore;
  if (typeof withRecords.getAllRecords === "function") {
    // Keys and values in one pass (Chromium 141+): 1,000 stored 4 KiB bodies in ranges of 128
    // came in 10–12 ms against 28–36 ms as keys and values apart (issue 15).
    const records = await promisifyRequest(withRecords.getAllRecords({ query: range }));
    for (const record of records) byKey.set(String(record.key), record.value);
    return byKey;
  }
  // Issued together in one turn: both come back in key order.
  const [keys, values] = await Promise.all([promisifyRequest(store.getAllKeys(range)), promisifyRequest(store.getAll(range))]);
  keys.forEach((key, i) => byKey.set(String(key), values[i]));
  return byKey;
}

/** `IDBObjectStore.getAllRecords` (IndexedDB 3.0), not yet in TypeScript's DOM types nor in every browser. */
interface RecordsStore extends IDBObjectStore {
  getAllRecords?(options: { query: IDBKeyRange }): IDBRequest<Array<{ key: IDBValidKey; value: unknown }>>;
}
