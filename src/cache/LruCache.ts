interface Entry<V> {
  value: V;
  sizeBytes: number;
}

/**
 * A least-recently-used cache bounded by the bytes its entries cost, not by their count: one
 * texture can outweigh a thousand JSON files. A `Map` iterates in insertion order, so re-inserting
 * on use keeps the least recent entry first.
 */
export class LruCache<K, V> {
  private readonly entries = new Map<K, Entry<V>>();
  private totalBytes = 0;

  constructor(readonly budgetBytes: number) {
    if (!(budgetBytes >= 0)) throw new RangeError(`budgetBytes must be a number >= 0, got ${budgetBytes}`);
  }

  /** The value for `key`, marking it most recently used. */
  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  /** The value for `key` without touching its recency. */
  peek(key: K): V | undefined {
    return this.entries.get(key)?.value;
  }

  has(key: K): boolean {
    return this.entries.has(key);
  }

  /**
   * Stores `value` as the most recent entry and evicts least-recent entries until the cache fits its
   * budget. Returns false (and drops any older value for `key`) when the entry alone exceeds the
   * whole budget: keeping it would evict everything else for one value.
   */
  set(key: K, value: V, sizeBytes: number): boolean {
    if (!(sizeBytes >= 0) || !Number.isFinite(sizeBytes)) throw new RangeError(`sizeBytes must be a finite number >= 0, got ${sizeBytes}`);
    this.delete(key);
    if (sizeBytes > this.budgetBytes) return false;
    this.entries.set(key, { value, sizeBytes });
    this.totalBytes += sizeBytes;
    this.evictToBudget();
    return true;
  }

  delete(key: K): boolean {
    const entry = this.entries.get(key);
    if (entry === undefined) return false;
    this.entries.delete(key);
    this.totalBytes -= entry.sizeBytes;
    return true;
  }

  clear(): void {
    this.entries.clear();
    this.totalBytes = 0;
  }

  keys(): K[] {
    return [...this.entries.keys()];
  }

  get bytes(): number {
    return this.totalBytes;
  }

  get size(): number {
    return this.entries.size;
  }

  private evictToBudget(): void {
    for (const [key, entry] of this.entries) {
      if (this.totalBytes <= this.budgetBytes) return;
      this.entries.delete(key);
      this.totalBytes -= entry.sizeBytes;
    }
  }
}
