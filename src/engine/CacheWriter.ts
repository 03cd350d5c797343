import type { EntryMeta, PersistentStore, StoredEntry } from "./PersistentStore.js";

interface IndexEntry {
  size: number;
  lastUsed: number;
  /** The last use the store was told of. */
  recordedUse: number;
}

interface PendingWrite extends StoredEntry {
  resolve(stored: boolean): void;
}

/**
 * Most entries, and bytes, one transaction carries: bounds what a batch holds in memory and how
 * long it runs. A read waits for every write transaction begun before it, and the next batch
 * begins only once this one has committed: a reload's reads wait for one short batch, not the
 * whole of a cold load's writes (1,000 small files in one transaction were still committing when
 * the reload after it began, and once its first read waited for them; issue 15).
 */
export const MAX_BATCH_ENTRIES = 128;
export const MAX_BATCH_BYTES = 2 ** 20;
/** How close two uses of an entry may be for the second to go unrecorded (see `noteUsed`). */
const USE_GRAIN_MS = 60_000;

/**
 * Writes entries into the store under a byte budget, evicting least-recently-used entries first.
 * The size/last-use index is read from the store once (one `listMetas`) and then kept by this
 * object, so a write costs no listing. Writes run one batch at a time, so two writes can not both
 * claim the same free room; writes that arrive while a batch commits go together in the next one
 * (group commit: one IndexedDB transaction per key costs about ten times a batched one). Nothing
 * here rejects: a cache that cannot write only costs speed.
 */
export class CacheWriter {
  private index: Map<string, IndexEntry> | null = null;
  private bytes = 0;
  private pending: PendingWrite[] = [];
  private draining = false;

  constructor(
    private readonly store: PersistentStore,
    readonly budgetBytes: number,
  ) {}

  /** Stores `body` with `meta`; false when it was not stored (too big, or the store failed). */
  write(meta: EntryMeta, body: Uint8Array): Promise<boolean> {
    const done = new Promise<boolean>((resolve) => this.pending.push({ meta, body, resolve }));
    if (!this.draining) {
      this.draining = true;
      void this.drain();
    }
    return done;
  }

  /**
   * Whether `url` is stored, as far as this writer knows (its index, kept by its own writes and
   * drops); undefined until the index has been read (`prepare`).
   */
  holds(url: string): boolean | undefined {
    return this.index === null ? undefined : this.index.has(url);
  }

  /** Reads the index from the store, if not read yet (one listing). */
  async prepare(): Promise<void> {
    await this.loadIndex();
  }

  /**
   * Room for the first `size` bytes of a body streaming in under `url` (`StreamedEntryWriter`),
   * evicting LRU entries; false when that is past the budget. Not serialised with the batches:
   * while a batch commits, the two may together overshoot the budget by one batch.
   */
  async reserve(url: string, size: number): Promise<boolean> {
    if (size > this.budgetBytes) return false;
    this.forget([url]);
    await this.makeRoom(new Set([url]), size);
    return true;
  }

  /** A body streamed in is committed under `meta`: it counts from now on. */
  noteStored(meta: EntryMeta): void {
    this.forget([meta.url]);
    this.index?.set(meta.url, { size: meta.size, lastUsed: meta.lastUsed, recordedUse: meta.lastUsed });
    this.bytes += meta.size;
  }

  /** Records a use for LRU order (the store gets it through its own coalesced `touch`). */
  noteUsed(url: string, at: number): void {
    const entry = this.index?.get(url);
    if (entry !== undefined) {
      entry.lastUsed = Math.max(entry.lastUsed, at);
      // This writer evicts by its own index, to the millisecond; the store's order, for the next
      // worker, needs no finer grain: a use within a minute of the last one it was told of is not
      // written (a reload's thousand reads would otherwise cost a thousand reads and writes more).
      if (at >= entry.recordedUse && at - entry.recordedUse < USE_GRAIN_MS) return;
      entry.recordedUse = at;
    }
    this.store.touch({ url, lastUsed: at });
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

  private async drain(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const batch = this.takeBatch();
        const stored = await this.writeBatch(batch).catch(() => batch.map(() => false));
        batch.forEach((write, i) => write.resolve(stored[i] === true));
      }
    } finally {
      this.draining = false;
    }
  }

  private takeBatch(): PendingWrite[] {
    let bytes = 0;
    let count = 0;
    while (count < this.pending.length && count < MAX_BATCH_ENTRIES) {
      bytes += this.pending[count]!.meta.size;
      if (count > 0 && bytes > MAX_BATCH_BYTES) break;
      count++;
    }
    return this.pending.splice(0, count);
  }

  private async writeBatch(batch: readonly PendingWrite[]): Promise<boolean[]> {
    const stored = batch.map(() => false);
    // A later write of a URL replaces an earlier one in the same batch: only the last is stored.
    const last = new Map(batch.map((write, i) => [write.meta.url, i]));
    const tooBig: string[] = [];
    const entries: StoredEntry[] = [];
    const positions: number[] = [];
    batch.forEach((write, i) => {
      if (last.get(write.meta.url) !== i) stored[i] = true;
      else if (write.meta.size > this.budgetBytes) tooBig.push(write.meta.url);
      else {
        entries.push({ meta: write.meta, body: write.body });
        positions.push(i);
      }
    });
    // Such a response can never be kept; the copy stored before it is outdated.
    if (tooBig.length > 0) await this.drop(tooBig);
    const results = entries.length === 0 ? [] : await this.putAll(entries);
    results.forEach((ok, j) => (stored[positions[j]!] = ok));
    return stored;
  }

  /** Stores `entries` in one transaction, making room first; an entry that fails alone fails alone. */
  private async putAll(given: readonly StoredEntry[]): Promise<boolean[]> {
    const urls = new Set(given.map((entry) => entry.meta.url));
    const size = given.reduce((sum, entry) => sum + entry.meta.size, 0);
    const index = await this.loadIndex();
    const entries = given.map((entry) => (index.has(entry.meta.url) ? entry : { ...entry, knownNew: true }));
    await this.makeRoom(urls, size);
    try {
      await this.store.putMany(entries);
    } catch (error) {
      if (entries.length > 1) {
        // One unstorable entry (or too little quota for all) must not cost the others their place.
        const each: boolean[] = [];
        for (const entry of entries) each.push(...(await this.putAll([entry])));
        return each;
      }
      if (!isQuotaExceeded(error)) return [false];
      // The browser's quota is below our budget: free at least this entry's size and try once more.
      this.reset();
      await this.makeRoom(urls, size, size);
      try {
        await this.store.putMany(entries);
      } catch {
        this.reset();
        return [false];
      }
    }
    for (const { meta } of entries) {
      this.forget([meta.url]);
      this.index?.set(meta.url, { size: meta.size, lastUsed: meta.lastUsed, recordedUse: meta.lastUsed });
      this.bytes += meta.size;
    }
    return entries.map(() => true);
  }

  /** Evicts LRU entries (never those of `urls`) until `size` more bytes fit and `atLeast` bytes went. */
  private async makeRoom(urls: ReadonlySet<string>, size: number, atLeast = 0): Promise<void> {
    const index = await this.loadIndex();
    let replaced = 0;
    for (const url of urls) replaced += index.get(url)?.size ?? 0;
    const victims: string[] = [];
    let held = this.bytes - replaced;
    let freed = 0;
    // The common case: it fits. Sorting the whole index on every write would make filling the cache quadratic.
    if (held + size <= this.budgetBytes && atLeast <= 0) return;
    const byAge = [...index].filter(([key]) => !urls.has(key)).sort(([, a], [, b]) => a.lastUsed - b.lastUsed);
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
    this.index = new Map(metas.map((meta) => [meta.url, { size: meta.size, lastUsed: meta.lastUsed, recordedUse: meta.lastUsed }]));
    this.bytes = metas.reduce((sum, meta) => sum + meta.size, 0);
    return this.index;
  }
}

/** IndexedDB reports a full disk as a `QuotaExceededError` DOMException (on the request or transaction). */
export function isQuotaExceeded(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { name?: unknown }).name === "QuotaExceededError";
}
