/** What the persistent HTTP cache knows about one stored response, kept apart from its bytes. */
export interface EntryMeta {
  /** The absolute URL: the entry's key. */
  url: string;
  etag: string | null;
  lastModified: string | null;
  /** Body length in bytes. */
  size: number;
  /** Epoch ms when the body was stored. */
  storedAt: number;
  /** Epoch ms of the last load served from, or revalidated against, this entry (LRU order). */
  lastUsed: number;
  /** Epoch ms until which `Cache-Control: max-age` lets the entry be served without asking the server. */
  freshUntil?: number;
  /** A content-hashed URL: its bytes never change, so it is served without revalidation. */
  immutable: boolean;
  /** `sha256-<base64>` of the stored body, checked on every read-back so disk corruption is caught. */
  integrity: string;
  /**
   * The response's `Content-Type`, so the worker can answer the page's own requests (`<img>`,
   * `<audio>`, another engine's loader) as the origin did. Absent in entries stored before it was kept.
   */
  contentType?: string | null;
  /**
   * SHA-256 of each `chunkBytes`-long piece of the body (the last one may be shorter), for a body
   * longer than one piece: a range read checks only the pieces it reads.
   */
  chunks?: { chunkBytes: number; integrity: string[] };
}

/**
 * How long the pieces are that large bodies are stored and checked in: a range read of a stored
 * body reads only the pieces it needs (1 MiB out of a 64 MiB film reads one or two).
 */
export const BODY_CHUNK_BYTES = 2 ** 20;

/**
 * Whether `integrity` is the SHA-256 of a whole body (`sha256-<base64>`). A body stored as it
 * streamed in has none when no caller held it whole (no incremental SHA-256 in Web Crypto): its
 * integrity is then a hash over its pieces' hashes (`pieces-sha256-...`), never a content address.
 */
export function isBodySha256(integrity: string): boolean {
  return integrity.startsWith("sha256-");
}

/** One response to store: its meta and its body. */
export interface StoredEntry {
  meta: EntryMeta;
  body: Uint8Array;
  /**
   * Nothing was stored under the URL when the writer last knew: a store may skip deleting older
   * pieces. (Another tab's engine may have stored one since; a longer body's pieces left behind
   * then make the entry fail its check on read, and it is dropped, never served.)
   */
  knownNew?: boolean;
}

/** Fields a revalidation may change on an entry that already exists. */
export interface MetaPatch {
  url: string;
  lastUsed?: number;
  freshUntil?: number | undefined;
}

/** A stored meta and its body, read together (`PersistentStore.getEntries`). */
export interface StoredCopy {
  meta: EntryMeta;
  body: Uint8Array | undefined;
}

/**
 * Storage under the fetch engine: metadata and bodies, built for batching because one IndexedDB
 * transaction per key costs about ten times a batched one. Implementations: `IdbStore` (browser,
 * worker), `MemoryStore` (Node, tests, browsers without IndexedDB).
 *
 * Atomicity rule: `putMany` writes every meta and body in ONE transaction, so a worker stopped
 * mid-write never leaves meta without body or a truncated body. Methods reject on storage failure
 * (a `QuotaExceededError` keeps that name); the engine decides what a failure means.
 */
export interface PersistentStore {
  /** Metas of `urls`, in order; `undefined` where nothing is stored. One read for all. */
  getMetas(urls: readonly string[]): Promise<Array<EntryMeta | undefined>>;
  /** The stored body of `url`, or `undefined`. The caller owns the returned array. */
  getBody(url: string): Promise<Uint8Array | undefined>;
  /**
   * Metas of `urls` with their bodies, in order, in one read: a content-addressed load needs both
   * whenever its copy is there (issue 15). `undefined` where no meta is stored; `body` may be
   * `undefined` where one is (missing, or in a form `getBody` still reads). The caller owns the bodies.
   */
  getEntries(urls: readonly string[]): Promise<Array<StoredCopy | undefined>>;
  /**
   * Bytes `start` to `end` (exclusive, within the body) of the stored body of `url`, reading only
   * the pieces of it they lie in; `undefined` when any of those is missing. The caller owns the array.
   */
  getRange(url: string, start: number, end: number): Promise<Uint8Array | undefined>;
  /** Stores (or replaces) each entry's body and meta, all in one transaction: all or nothing. */
  putMany(entries: readonly StoredEntry[]): Promise<void>;
  /**
   * Records a use (`lastUsed`, for LRU order) or a revalidation (`freshUntil` too) of an entry.
   * Cheap and fire-and-forget: implementations may coalesce patches and write them later in one
   * batch (see `flush`); reads through this store see them at once; a later `putMany` of the URL
   * supersedes them. Later `lastUsed` wins; a `freshUntil` key (even `undefined`) replaces the earlier.
   */
  touch(patch: MetaPatch): void;
  /** Writes any coalesced `touch` updates now. */
  flush(): Promise<void>;
  /** Deletes meta and body of every url in `urls`, in one transaction. */
  delete(urls: readonly string[]): Promise<void>;
  /**
   * For each `sha256-<base64>` integrity, the URL of a stored entry whose body had it when it was
   * written, or `undefined` (content-addressed loads, issue 15). One read for all. The entry may
   * have been replaced since: the caller checks the meta it then reads.
   */
  urlsByIntegrity(integrities: readonly string[]): Promise<Array<string | undefined>>;
  /**
   * Writes bytes `start`.. of a body stored piece by piece as it streams in (`StreamedEntryWriter`):
   * `start` is a multiple of the store's piece length and `bytes` whole pieces but for the body's
   * last. The first write (`start` 0) removes whatever is stored under `url`. Nothing is served from
   * these pieces until `commitPieces` writes their meta: a stream cut short leaves no entry.
   */
  putPieces(url: string, start: number, bytes: Uint8Array): Promise<void>;
  /**
   * Makes the pieces put for `meta.url` its body by writing `meta`, in one transaction that first
   * checks that all `meta.size` bytes are there (rejects otherwise). Indexed by hash only when
   * `meta.integrity` is a SHA-256 of the whole body (`isBodySha256`).
   */
  commitPieces(meta: EntryMeta): Promise<void>;
  /** Every stored meta (no bodies), for budget accounting and stats. */
  listMetas(): Promise<EntryMeta[]>;
  clear(): Promise<void>;
}

/** `patch` applied over `base` (a meta or an earlier patch): later `lastUsed` wins, other fields replace. */
export function mergePatch<T extends { url: string; lastUsed?: number }>(base: T, patch: MetaPatch): T {
  const merged = { ...base, ...patch, url: base.url };
  if (base.lastUsed !== undefined && patch.lastUsed !== undefined) merged.lastUsed = Math.max(base.lastUsed, patch.lastUsed);
  else merged.lastUsed = patch.lastUsed ?? base.lastUsed;
  return merged;
}
