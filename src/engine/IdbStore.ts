import { clear, createStore, delMany, get, getMany, promisifyRequest } from "idb-keyval";
import type { UseStore } from "idb-keyval";
import { mergePatch } from "./PersistentStore.js";
import type { EntryMeta, MetaPatch, PersistentStore, StoredEntry } from "./PersistentStore.js";

export interface IdbStoreOptions {
  /**
   * A database of its own: idb-keyval's `createStore` cannot add an object store to a database
   * that already exists, so sharing a database name with other code would break one of them.
   */
  dbName?: string;
  storeName?: string;
  /** How long `touch` patches are coalesced before one batched write. */
  touchFlushDelayMs?: number;
}

export const DEFAULT_IDB_DATABASE = "simvx-assets-http";
const DEFAULT_OBJECT_STORE = "entries";

// One object store, two key prefixes: metas can then be listed with a key range without ever
// loading a body, and an entry's two records are written in the same transaction.
const META = "m:";
const BODY = "b:";
// The hash index: integrity → URL of an entry with that body. Written with the entry and never
// deleted alone: a stale pointer costs one meta read and is overwritten by the next copy.
const BY_HASH = "h:";
// ";" follows ":" in code-unit order, so [META, META_END) covers exactly the meta keys.
const META_END = "m;";

/** `PersistentStore` over IndexedDB through idb-keyval, batching everything it can. */
export class IdbStore implements PersistentStore {
  private readonly use: UseStore;
  private readonly touchFlushDelayMs: number;
  private readonly pendingTouches = new Map<string, MetaPatch>();
  private touchTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: IdbStoreOptions = {}) {
    this.use = createStore(options.dbName ?? DEFAULT_IDB_DATABASE, options.storeName ?? DEFAULT_OBJECT_STORE);
    this.touchFlushDelayMs = options.touchFlushDelayMs ?? 1000;
  }

  async getMetas(urls: readonly string[]): Promise<Array<EntryMeta | undefined>> {
    if (urls.length === 0) return [];
    const metas = await getMany<EntryMeta | undefined>(urls.map((url) => META + url), this.use);
    // Patches not yet written are part of what this store knows.
    return metas.map((meta) => {
      const patch = meta === undefined ? undefined : this.pendingTouches.get(meta.url);
      return meta === undefined || patch === undefined ? meta : mergePatch(meta, patch);
    });
  }

  async getBody(url: string): Promise<Uint8Array | undefined> {
    const body = await get<unknown>(BODY + url, this.use);
    return body instanceof Uint8Array ? body : undefined;
  }

  putMany(entries: readonly StoredEntry[]): Promise<void> {
    if (entries.length === 0) return Promise.resolve();
    // A new response supersedes what was noted about the one it replaces.
    for (const { meta } of entries) this.pendingTouches.delete(meta.url);
    return this.use("readwrite", (store) => {
      try {
        for (const { meta, body } of entries) {
          // Structured clone copies a view's whole buffer; store exactly the body's bytes.
          const exact = body.byteOffset === 0 && body.byteLength === body.buffer.byteLength ? body : body.slice();
          store.put(exact, BODY + meta.url);
          store.put(meta, META + meta.url);
          store.put(meta.url, BY_HASH + meta.integrity);
        }
      } catch (error) {
        // A synchronous failure (DataCloneError) after the first put would otherwise let the
        // transaction commit the puts before it: abort so the batch is all or nothing.
        store.transaction.abort();
        throw error;
      }
      return promisifyRequest(store.transaction);
    });
  }

  /** Applies patches to entries that exist, in one transaction; patches for missing entries are dropped. */
  private patchMetas(patches: readonly MetaPatch[]): Promise<void> {
    if (patches.length === 0) return Promise.resolve();
    return this.use("readwrite", (store) => {
      // Read and write in one transaction, so a patch can never recreate the meta of an entry
      // deleted in between (which would leave meta without body).
      for (const patch of patches) {
        const key = META + patch.url;
        const request = store.get(key);
        request.onsuccess = () => {
          const old = request.result as EntryMeta | undefined;
          if (old !== undefined) store.put({ ...old, ...patch }, key);
        };
      }
      return promisifyRequest(store.transaction);
    });
  }

  touch(patch: MetaPatch): void {
    const before = this.pendingTouches.get(patch.url);
    this.pendingTouches.set(patch.url, before === undefined ? { ...patch } : mergePatch(before, patch));
    if (this.touchTimer !== undefined) return;
    this.touchTimer = setTimeout(() => {
      // Last-use times only order the LRU: losing them to a storage error costs nothing else.
      this.flush().catch(() => undefined);
    }, this.touchFlushDelayMs);
  }

  async flush(): Promise<void> {
    if (this.touchTimer !== undefined) clearTimeout(this.touchTimer);
    this.touchTimer = undefined;
    if (this.pendingTouches.size === 0) return;
    const patches = [...this.pendingTouches.values()];
    this.pendingTouches.clear();
    await this.patchMetas(patches);
  }

  delete(urls: readonly string[]): Promise<void> {
    if (urls.length === 0) return Promise.resolve();
    for (const url of urls) this.pendingTouches.delete(url);
    return delMany(urls.flatMap((url) => [META + url, BODY + url]), this.use);
  }

  async urlsByIntegrity(integrities: readonly string[]): Promise<Array<string | undefined>> {
    if (integrities.length === 0) return [];
    const urls = await getMany<unknown>(integrities.map((integrity) => BY_HASH + integrity), this.use);
    return urls.map((url) => (typeof url === "string" ? url : undefined));
  }

  listMetas(): Promise<EntryMeta[]> {
    return this.use("readonly", (store) => promisifyRequest(store.getAll(IDBKeyRange.bound(META, META_END, false, true)) as IDBRequest<EntryMeta[]>));
  }

  clear(): Promise<void> {
    this.pendingTouches.clear();
    return clear(this.use);
  }
}
