import { vi } from "vitest";

/**
 * Counts the range reads of values IndexedDB is asked for: `getAllRecords` where the store has it
 * (as in Chromium), else `getAll`. Restore it before the test ends.
 */
export function spyOnRangeReads(): { count(): number; restore(): void } {
  const proto = IDBObjectStore.prototype as IDBObjectStore & { getAllRecords?: (...args: never[]) => unknown };
  const values = vi.spyOn(IDBObjectStore.prototype, "getAll");
  const records = typeof proto.getAllRecords === "function" ? vi.spyOn(proto as Required<typeof proto>, "getAllRecords") : null;
  return {
    count: () => values.mock.calls.length + (records?.mock.calls.length ?? 0),
    restore: () => {
      values.mockRestore();
      records?.mockRestore();
    },
  };
}
