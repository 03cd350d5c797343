import { mergePatch } from "./PersistentStore.js";
import type { EntryMeta, MetaPatch, PersistentStore, StoredEntry } from "./PersistentStore.js";

interface MemoryEntry {
  meta: EntryMeta;
  body: Uint8Array;
}

/**
 * `PersistentStore` in memory: for Node, tests, and browsers without IndexedDB. It copies bytes in
 * and out, as IndexedDB's structured clone does, so a caller that transfers or mutates its array
 * never changes what is stored.
 */
export class MemoryStore implements PersistentStore {
  private readonly entries = new Map<string, MemoryEntry>();
  private readonly byIntegrity = new Map<string, string>();

  async getMetas(urls: readonly string[]): Promise<Array<EntryMeta | undefined>> {
    return urls.map((url) => {
      const entry = this.entries.get(url);
      return entry === undefined ? undefined : { ...entry.meta };
    });
  }

  async getBody(url: string): Promise<Uint8Array | undefined> {
    return this.entries.get(url)?.body.slice();
  }

  async putMany(entries: readonly StoredEntry[]): Promise<void> {
    for (const { meta, body } of entries) {
      this.entries.set(meta.url, { meta: { ...meta }, body: body.slice() });
      this.byIntegrity.set(meta.integrity, meta.url);
    }
  }

  touch(patch: MetaPatch): void {
    const entry = this.entries.get(patch.url);
    if (entry !== undefined) entry.meta = mergePatch(entry.meta, patch);
  }

  async flush(): Promise<void> {}

  async delete(urls: readonly string[]): Promise<void> {
    for (const url of urls) this.entries.delete(url);
  }

  async urlsByIntegrity(integrities: readonly string[]): Promise<Array<string | undefined>> {
    return integrities.map((integrity) => this.byIntegrity.get(integrity));
  }

  async listMetas(): Promise<EntryMeta[]> {
    return [...this.entries.values()].map((entry) => ({ ...entry.meta }));
  }

  async clear(): Promise<void> {
    this.entries.clear();
    this.byIntegrity.clear();
  }
}
