interface Pending<V> {
  resolve(value: V | undefined): void;
  reject(error: unknown): void;
}

export interface BatchedLookupOptions<V> {
  /**
   * `"nothing"` (the default) answers every key of a failed read with `undefined` (the cache must
   * never fail a load); `"reject"` passes the failure on to each caller.
   */
  failures?: "nothing" | "reject";
  /** For values a caller owns (a body it may transfer): each further caller of one key gets a copy. */
  copy?: (value: V) => V;
}

/**
 * Looks up many keys for many concurrent requests in one store call: requests that arrive within
 * the same task turn (in the worker, each batch's reads arrive together) are gathered and read
 * together, one IndexedDB transaction instead of one per key, and their answers arrive in the
 * same task, so what follows (a pack's files gathered into one request) stays together.
 */
export class BatchedLookup<K, V> {
  private pending = new Map<K, Array<Pending<V>>>();
  private scheduled = false;

  constructor(
    private readonly readMany: (keys: readonly K[]) => Promise<ReadonlyArray<V | undefined>>,
    private readonly options: BatchedLookupOptions<V> = {},
  ) {}

  get(key: K): Promise<V | undefined> {
    return new Promise((resolve, reject) => {
      const waiting = this.pending.get(key);
      if (waiting === undefined) this.pending.set(key, [{ resolve, reject }]);
      else waiting.push({ resolve, reject });
      if (this.scheduled) return;
      this.scheduled = true;
      setTimeout(() => void this.readPending(), 0);
    });
  }

  private async readPending(): Promise<void> {
    const batch = this.pending;
    this.pending = new Map();
    this.scheduled = false;
    const keys = [...batch.keys()];
    let values: ReadonlyArray<V | undefined>;
    try {
      values = await this.readMany(keys);
    } catch (error) {
      if (this.options.failures === "reject") {
        for (const waiting of batch.values()) for (const { reject } of waiting) reject(error);
        return;
      }
      values = [];
    }
    const { copy } = this.options;
    keys.forEach((key, i) => {
      const value = values[i];
      batch.get(key)!.forEach(({ resolve }, nth) => resolve(nth === 0 || value === undefined || copy === undefined ? value : copy(value)));
    });
  }
}
