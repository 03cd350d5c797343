import { clear, createStore, getMany, promisifyRequest } from "idb-keyval";
import { MIN_RANGE_KEYS, getManyDense, rangeGroups, readRangeIfDense } from "./denseReads.js";
import type { UseStore } from "idb-keyval";
import { BatchedLookup } from "./BatchedLookup.js";
import { chunkSpan, joinRange, piecesToClone } from "./bodyChunks.js";
import { BODY_CHUNK_BYTES, isBodySha256, mergePatch } from "./PersistentStore.js";
import type { EntryMeta, MetaPatch, PersistentStore, StoredCopy, StoredEntry } from "./PersistentStore.js";

export interface IdbStoreOptions {
  /**
   * A database of its own: idb-keyval's `createStore` cannot add an object store to a database
   * that already exists, so sharing a database name with other code would break one of them.
   */
  dbName?: string;
  storeName?: string;
  /** How long `touch` patches are coalesced before one batched write. */
  touchFlushDelayMs?: number;
  /** Length of the pieces bodies are stored in. Default `BODY_CHUNK_BYTES`; tests use small ones. */
  chunkBytes?: number;
}

export const DEFAULT_IDB_DATABASE = "simvx-assets-http";
const DEFAULT_OBJECT_STORE = "entries";

// One object store, key prefixes by kind: metas can then be listed with a key range without ever
// loading a body, and an entry's records are written in the same transaction. A body is stored in
// pieces (`c:<url>#<index, 8 hex digits>`), so a range read loads only the pieces it needs; stored
// URLs never have a fragment, so `#` ends the URL. `b:<url>` is the whole body as stores before
// pieces kept it: still read, never written.
const META = "m:";
const LEGACY_BODY = "b:";
const CHUNK = "c:";
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
  private readonly chunkBytes: number;
  /** A revalidated manifest or a reload reads hundreds of small bodies at once: one transaction for those of one task. */
  private readonly bodies = new BatchedLookup<string, Uint8Array>((urls) => this.readBodies(urls), { failures: "reject", copy: (body) => body.slice() });

  constructor(options: IdbStoreOptions = {}) {
    this.use = createStore(options.dbName ?? DEFAULT_IDB_DATABASE, options.storeName ?? DEFAULT_OBJECT_STORE);
    this.touchFlushDelayMs = options.touchFlushDelayMs ?? 1000;
    this.chunkBytes = options.chunkBytes ?? BODY_CHUNK_BYTES;
  }

  async getMetas(urls: readonly string[]): Promise<Array<EntryMeta | undefined>> {
    if (urls.length === 0) return [];
    return this.use("readonly", (store) => this.metasIn(store, urls));
  }

  private async metasIn(store: IDBObjectStore, urls: readonly string[]): Promise<Array<EntryMeta | undefined>> {
    const metas = (await getManyDense(store, urls.map((url) => META + url))) as Array<EntryMeta | undefined>;
    // Patches not yet written are part of what this store knows.
    return metas.map((meta) => {
      const patch = meta === undefined ? undefined : this.pendingTouches.get(meta.url);
      return meta === undefined || patch === undefined ? meta : mergePatch(meta, patch);
    });
  }

  getBody(url: string): Promise<Uint8Array | undefined> {
    return this.bodies.get(url);
  }

  getEntries(urls: readonly string[]): Promise<Array<StoredCopy | undefined>> {
    if (urls.length === 0) return Promise.resolve([]);
    // Both reads in one transaction, issued together: the storage process answers the bodies'
    // ranges while this thread decodes the metas.
    return this.use("readonly", async (store) => {
      // Most URLs asked for are stored or none is (a reload; a cold load): the old form of a body
      // is left to `getBody`, rather than asked for every URL without pieces.
      const [metas, bodies] = await Promise.all([this.metasIn(store, urls), this.bodiesIn(store, urls, false)]);
      return metas.map((meta, i) => (meta === undefined ? undefined : { meta, body: bodies[i] }));
    });
  }

  private readBodies(urls: readonly string[]): Promise<Array<Uint8Array | undefined>> {
    return this.use("readonly", (store) => this.bodiesIn(store, urls));
  }

  /** With `askLegacy` false, a body stored before pieces reads as none (its caller asks `getBody`). */
  private async bodiesIn(store: IDBObjectStore, urls: readonly string[], askLegacy = true): Promise<Array<Uint8Array | undefined>> {
    const pieces = await this.piecesOf(store, urls);
    return Promise.all(
      urls.map(async (url, i) => {
        const chunks = pieces[i]!;
        if (chunks.length === 0) {
          if (!askLegacy) return undefined;
          // Each request is a round trip to the browser's storage process: the old form is asked
          // for only where no pieces are (a store written before pieces, or nothing stored).
          const legacy = await promisifyRequest(store.get(LEGACY_BODY + url) as IDBRequest<unknown>);
          return legacy instanceof Uint8Array ? legacy : undefined;
        }
        if (!chunks.every((chunk): chunk is Uint8Array => chunk instanceof Uint8Array)) return undefined;
        // Key order is piece order (fixed-width indexes); a missing piece shows as a short body.
        const size = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
        return chunks.length === 1 ? chunks[0] : joinRange(chunks, 0, 0, size, this.chunkBytes);
      }),
    );
  }

  /**
   * The stored pieces of each of `urls`, in key order: small bodies that lie close together from
   * range reads of up to `RANGE_GROUP_KEYS` URLs each, issued together; else one read per body.
   */
  private async piecesOf(store: IDBObjectStore, urls: readonly string[]): Promise<unknown[][]> {
    if (urls.length < MIN_RANGE_KEYS) return Promise.all(urls.map((url) => this.piecesOfOne(store, url)));
    const byUrl = new Map<string, unknown[]>();
    await Promise.all(
      rangeGroups([...new Set(urls)].sort()).map(async (group) => {
        const range = IDBKeyRange.bound(`${CHUNK}${group[0]!}#`, `${CHUNK}${group[group.length - 1]!}#\uffff`);
        // A body of several pieces counts each: a group with a big body among small ones is read body by body.
        const byKey = group.length < MIN_RANGE_KEYS ? null : await readRangeIfDense(store, range, group.length);
        if (byKey === null) {
          const pieces = await Promise.all(group.map((url) => this.piecesOfOne(store, url)));
          group.forEach((url, i) => byUrl.set(url, pieces[i]!));
          return;
        }
        const members = new Set(group);
        for (const [key, chunk] of byKey) {
          const url = urlOfChunkKey(key);
          // Ranges of neighbouring groups can overlap (a URL with "!" sorts before its prefix's "#"): each keeps its own.
          if (!members.has(url)) continue;
          const list = byUrl.get(url);
          if (list === undefined) byUrl.set(url, [chunk]);
          else list.push(chunk);
        }
      }),
    );
    return urls.map((url) => byUrl.get(url) ?? []);
  }

  private piecesOfOne(store: IDBObjectStore, url: string): Promise<unknown[]> {
    return promisifyRequest(store.getAll(chunkRange(url)) as IDBRequest<unknown[]>);
  }

  async getRange(url: string, start: number, end: number): Promise<Uint8Array | undefined> {
    const { first, last } = chunkSpan(start, end, this.chunkBytes);
    const keys = Array.from({ length: last - first + 1 }, (_, i) => chunkKey(url, first + i));
    const chunks = await getMany<unknown>(keys, this.use);
    if (chunks.every((chunk): chunk is Uint8Array => chunk instanceof Uint8Array)) return joinRange(chunks, first, start, end, this.chunkBytes);
    if (chunks.some((chunk) => chunk !== undefined)) return undefined;
    const legacy = await getMany<unknown>([LEGACY_BODY + url], this.use);
    return legacy[0] instanceof Uint8Array ? legacy[0].slice(start, end) : undefined;
  }

  putMany(entries: readonly StoredEntry[]): Promise<void> {
    if (entries.length === 0) return Promise.resolve();
    // A new response supersedes what was noted about the one it replaces.
    for (const { meta } of entries) this.pendingTouches.delete(meta.url);
    return this.use("readwrite", (store) => {
      try {
        for (const { meta, body, knownNew } of entries) {
          // The pieces of a longer body stored before must not outlive it. Each request costs a
          // round trip in the transaction: a cold batch of small files skips two of five.
          if (knownNew !== true) {
            store.delete(chunkRange(meta.url));
            store.delete(LEGACY_BODY + meta.url);
          }
          // Each piece is a copy of its own bytes: structured clone copies a view's whole buffer.
          piecesToClone(body, this.chunkBytes).forEach((chunk, index) => store.put(chunk, chunkKey(meta.url, index)));
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
    return this.use("readwrite", (store) => {
      for (const url of urls) {
        store.delete(META + url);
        store.delete(LEGACY_BODY + url);
        store.delete(chunkRange(url));
      }
      return promisifyRequest(store.transaction);
    });
  }

  async urlsByIntegrity(integrities: readonly string[]): Promise<Array<string | undefined>> {
    if (integrities.length === 0) return [];
    const urls = await this.use("readonly", (store) => getManyDense(store, integrities.map((integrity) => BY_HASH + integrity)));
    return urls.map((url) => (typeof url === "string" ? url : undefined));
  }

  listMetas(): Promise<EntryMeta[]> {
    return this.use("readonly", (store) => promisifyRequest(store.getAll(IDBKeyRange.bound(META, META_END, false, true)) as IDBRequest<EntryMeta[]>));
  }

  clear(): Promise<void> {
    this.pendingTouches.clear();
    return clear(this.use);
  }

  putPieces(url: string, start: number, bytes: Uint8Array): Promise<void> {
    if (start % this.chunkBytes !== 0) return Promise.reject(new RangeError(`pieces start on a multiple of ${this.chunkBytes} bytes`));
    if (start === 0) this.pendingTouches.delete(url);
    return this.use("readwrite", (store) => {
      if (start === 0) {
        // The entry this body replaces goes with its first piece: its meta must never describe new pieces.
        store.delete(META + url);
        store.delete(LEGACY_BODY + url);
        store.delete(chunkRange(url));
      }
      piecesToClone(bytes, this.chunkBytes).forEach((chunk, i) => store.put(chunk, chunkKey(url, start / this.chunkBytes + i)));
      return promisifyRequest(store.transaction);
    });
  }

  commitPieces(meta: EntryMeta): Promise<void> {
    const pieces = Math.max(1, Math.ceil(meta.size / this.chunkBytes));
    return this.use("readwrite", (store) => {
      // Counted in the transaction that writes the meta: a delete between the pieces and this commit
      // (an eviction, `invalidate`) must not leave a meta without its body.
      const count = store.count(chunkRange(meta.url));
      count.onsuccess = () => {
        if (count.result !== pieces) return store.transaction.abort();
        store.put(meta, META + meta.url);
        if (isBodySha256(meta.integrity)) store.put(meta.url, BY_HASH + meta.integrity);
      };
      return promisifyRequest(store.transaction);
    });
  }
}

/** `c:<url>#<index>` → `<url>` (the index is 8 hex digits). */
function urlOfChunkKey(key: string): string {
  return key.slice(CHUNK.length, key.length - 9);
}

function chunkKey(url: string, index: number): string {
  return `${CHUNK}${url}#${index.toString(16).padStart(8, "0")}`;
}

/** Every piece of `url`'s body: keys `c:<url>#` followed by hex digits, which sort below U+FFFF. */
function chunkRange(url: string): IDBKeyRange {
  return IDBKeyRange.bound(`${CHUNK}${url}#`, `${CHUNK}${url}#\uffff`);
}
