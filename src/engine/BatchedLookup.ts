interface Pending<K, V> {
  key: K;
  resolve(value: V | undefined): void;
}

/**
 * Looks up many keys for many concurrent requests in one store call: requests that arrive within
 * the same task turn (in the worker, each batch's reads arrive together) are gathered and read
 * together, one IndexedDB transaction instead of one per key, and their answers arrive in the
 * same task, so what follows (a pack's files gathered into one request) stays together. A failed
 * read counts as "nothing stored": the cache must never fail a load.
 */
export class BatchedLookup<K, V> {
  private pending: Array<Pending<K, V>> = [];
  private scheduled = false;

  constructor(private readonly readMany: (keys: readonly K[]) => Promise<ReadonlyArray<V | undefined>>) {}

  get(key: K): Promise<V | undefined> {
    return new Promise((resolve) => {
      this.pending.push({ key, resolve });
      if (this.scheduled) return;
      this.scheduled = true;
      setTimeout(() => void this.readPending(), 0);
    });
  }

  private async readPending(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    this.scheduled = false;
    const keys = [...new Set(batch.map((item) => item.key))];
    const values = await this.readMany(keys).catch((): ReadonlyArray<V | undefined> => []);
    const byKey = new Map(keys.map((key, i) => [key, values[i]]));
    for (const item of batch) item.resolve(byKey.get(item.key));
  }
}
