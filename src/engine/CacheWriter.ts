import type { EntryMeta, PersistentStore } from "./PersistentStore.js";

interface IndexEntry {
  size: number;
  lastUsed: number;
}

/**
 * Writes entries into the store under a byte budget, evicting least-recently-used entries first.
 * The size/last-use index is read from the store once (one `listMetas`) and then kept by this
 * object, so a write costs no listing. Writes run one at a time, so two concurrent writes can not
 * both claim the same free room. Nothing here rejects: a cache that cannot write only costs speed.
 */
export class CacheWriter {
  private index: Map<string, IndexEntry> | null = null;
  private bytes = 0;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: PersistentStore,
    readonly budgetBytes: number,
  ) {}

  /** Stores `body` with `meta`; false when it was not stored (too big, or the store failed). */
  write(meta: EntryMeta, body: Uint8Array): Promise<boolean> {
    const run = this.queue.then(() => this.writeNow(meta, body));
    this.queue = run.catch(() => undefined);
    return run.catch(() => false);
  }

  /** Records a use for LRU order (the store gets it through its own coalesced `touch`). */
  noteUsed(url: string, at: number): void {
    const entry = this.index?.get(url);
    if (entry !== undefined) entry.lastUsed = Math.max(entry.lastUsed, at);
    this.store.touch(url, at);
  }

  /** Deletes entries; never rejects. */
  async drop(urls: readonly string[]): Promise<void> {
    this.forget(urls);
    await this.store.delete(urls).catch(() => undefined);
  }

  forget(urls: readonly string[]): void {
    for (const url of urls) {
      const entry = this.index?.get(url);
      if (entry === undefined) continue;
      this.index!.delete(url);
      this.bytes -= entry.size;
    }
  }

  /** Drops the index; it is read again from the store on the next write. */
  reset(): void {
    this.index = null;
    this.bytes = 0;
  }

  private async writeNow(meta: EntryMeta, body: Uint8Array): Promise<boolean> {
    if (meta.size > this.budgetBytes) {
      await this.drop([meta.url]);
      return false;
    }
    await this.makeRoom(meta.url, meta.size);
    try {
      await this.store.put(meta, body);
    } catch (error) {
      if (!isQuotaExceeded(error)) return false;
      // The browser's quota is below our budget: free at least this entry's size and try once more.
      this.reset();
      await this.makeRoom(meta.url, meta.size, meta.size);
      try {
        await this.store.put(meta, body);
      } catch {
        this.reset();
        return false;
      }
    }
    this.forget([meta.url]);
    this.index?.set(meta.url, { size: meta.size, lastUsed: meta.lastUsed });
    this.bytes += meta.size;
    return true;
  }

  /** Evicts LRU entries (never `url` itself) until `size` more bytes fit and `atLeast` bytes went. */
  private async makeRoom(url: string, size: number, atLeast = 0): Promise<void> {
    const index = await this.loadIndex();
    const replaced = index.get(url)?.size ?? 0;
    const victims: string[] = [];
    let held = this.bytes - replaced;
    let freed = 0;
    // The common case: it fits. Sorting the whole index on every write would make filling the cache quadratic.
    if (held + size <= this.budgetBytes && atLeast <= 0) return;
    const byAge = [...index].filter(([key]) => key !== url).sort(([, a], [, b]) => a.lastUsed - b.lastUsed);
    for (const [key, entry] of byAge) {
      if (held + size <= this.budgetBytes && freed >= atLeast) break;
      victims.push(key);
      held -= entry.size;
      freed += entry.size;
    }
    if (victims.length > 0) await this.drop(victims);
  }

  private async loadIndex(): Promise<Map<string, IndexEntry>> {
    if (this.index !== null) return this.index;
    // Coalesced uses must be in the store before it is listed, or the LRU order would be stale.
    await this.store.flush().catch(() => undefined);
    const metas = await this.store.listMetas().catch((): EntryMeta[] => []);
    // A write may have finished while the listing ran; keep the index the write built.
    if (this.index !== null) return this.index;
    this.index = new Map(metas.map((meta) => [meta.url, { size: meta.size, lastUsed: meta.lastUsed }]));
    this.bytes = metas.reduce((sum, meta) => sum + meta.size, 0);
    return this.index;
  }
}

/** IndexedDB reports a full disk as a `QuotaExceededError` DOMException (on the request or transaction). */
export function isQuotaExceeded(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { name?: unknown }).name === "QuotaExceededError";
}
