import type { EntryMeta, PersistentStore } from "./PersistentStore.js";

interface Pending {
  url: string;
  resolve(meta: EntryMeta | undefined): void;
}

/**
 * Reads metas for many concurrent requests in one store call: requests that arrive within the
 * same task turn (in the worker, each page call is its own message event) are gathered and read
 * together. A failed read counts as "nothing stored": the cache must never fail a load.
 */
export class MetaReader {
  private pending: Pending[] = [];
  private scheduled = false;

  constructor(private readonly store: PersistentStore) {}

  read(url: string): Promise<EntryMeta | undefined> {
    return new Promise((resolve) => {
      this.pending.push({ url, resolve });
      if (this.scheduled) return;
      this.scheduled = true;
      setTimeout(() => void this.readPending(), 0);
    });
  }

  private async readPending(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    this.scheduled = false;
    const urls = [...new Set(batch.map((item) => item.url))];
    const metas = await this.store.getMetas(urls).catch((): Array<EntryMeta | undefined> => []);
    const byUrl = new Map(urls.map((url, i) => [url, metas[i]]));
    for (const item of batch) item.resolve(byUrl.get(item.url));
  }
}
