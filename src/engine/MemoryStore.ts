import { chunkSpan, joinRange, splitBody } from "./bodyChunks.js";
import { BODY_CHUNK_BYTES, isBodySha256, mergePatch } from "./PersistentStore.js";
import type { EntryMeta, MetaPatch, PersistentStore, StoredCopy, StoredEntry } from "./PersistentStore.js";

interface MemoryEntry {
  meta: EntryMeta;
  chunks: Uint8Array[];
}

export interface MemoryStoreOptions {
  /** Length of the pieces bodies are kept in (tests use small ones). Default `BODY_CHUNK_BYTES`. */
  chunkBytes?: number;
}

/**
 * `PersistentStore` in memory: for Node, tests, and browsers without IndexedDB. It copies bytes in
 * and out, as IndexedDB's structured clone does, so a caller that transfers or mutates its array
 * never changes what is stored; bodies are kept in pieces, as `IdbStore` keeps them.
 */
export class MemoryStore implements PersistentStore {
  private readonly entries = new Map<string, MemoryEntry>();
  private readonly byIntegrity = new Map<string, string>();
  /** Pieces put for bodies streaming in, not yet committed (`putPieces`). */
  private readonly staged = new Map<string, Array<Uint8Array | undefined>>();
  private readonly chunkBytes: number;
  /** Pieces read so far (tests check that a range read reads only its own). */
  chunkReads = 0;

  constructor(options: MemoryStoreOptions = {}) {
    this.chunkBytes = options.chunkBytes ?? BODY_CHUNK_BYTES;
  }

  async getMetas(urls: readonly string[]): Promise<Array<EntryMeta | undefined>> {
    return urls.map((url) => {
      const entry = this.entries.get(url);
      return entry === undefined ? undefined : { ...entry.meta };
    });
  }

  async getBody(url: string): Promise<Uint8Array | undefined> {
    const entry = this.entries.get(url);
    return entry === undefined ? undefined : this.bodyOf(entry);
  }

  async getEntries(urls: readonly string[]): Promise<Array<StoredCopy | undefined>> {
    return urls.map((url) => {
      const entry = this.entries.get(url);
      return entry === undefined ? undefined : { meta: { ...entry.meta }, body: this.bodyOf(entry) };
    });
  }

  private bodyOf(entry: MemoryEntry): Uint8Array {
    this.chunkReads += entry.chunks.length;
    const size = entry.chunks.reduce((sum, chunk) => sum + chunk.length, 0);
    return joinRange(entry.chunks, 0, 0, size, this.chunkBytes);
  }

  async getRange(url: string, start: number, end: number): Promise<Uint8Array | undefined> {
    const entry = this.entries.get(url);
    if (entry === undefined) return undefined;
    const { first, last } = chunkSpan(start, end, this.chunkBytes);
    const chunks = entry.chunks.slice(first, last + 1);
    if (chunks.length !== last - first + 1) return undefined;
    this.chunkReads += chunks.length;
    return joinRange(chunks, first, start, end, this.chunkBytes);
  }

  async putMany(entries: readonly StoredEntry[]): Promise<void> {
    for (const { meta, body } of entries) {
      this.entries.set(meta.url, { meta: { ...meta }, chunks: splitBody(body, this.chunkBytes) });
      this.byIntegrity.set(meta.integrity, meta.url);
    }
  }

  async putPieces(url: string, start: number, bytes: Uint8Array): Promise<void> {
    if (start % this.chunkBytes !== 0) throw new RangeError(`pieces start on a multiple of ${this.chunkBytes} bytes`);
    if (start === 0) {
      this.entries.delete(url);
      this.staged.set(url, []);
    }
    const pieces = this.staged.get(url);
    if (pieces === undefined) throw new Error(`no body is being stored under ${url}`);
    splitBody(bytes, this.chunkBytes).forEach((piece, i) => (pieces[start / this.chunkBytes + i] = piece));
  }

  async commitPieces(meta: EntryMeta): Promise<void> {
    const pieces = this.staged.get(meta.url);
    // Spread, holes become undefined: a piece never put is missing.
    const chunks = pieces === undefined ? [] : [...pieces].filter((piece): piece is Uint8Array => piece !== undefined);
    if (pieces === undefined || chunks.length !== pieces.length || chunks.reduce((sum, piece) => sum + piece.length, 0) !== meta.size) throw new Error(`the body of ${meta.url} is not all there`);
    this.staged.delete(meta.url);
    this.entries.set(meta.url, { meta: { ...meta }, chunks });
    if (isBodySha256(meta.integrity)) this.byIntegrity.set(meta.integrity, meta.url);
  }

  /** Test hook: drops or replaces one stored piece, as disk damage would. */
  damageChunk(url: string, index: number, replacement?: Uint8Array): void {
    const entry = this.entries.get(url);
    if (entry === undefined) return;
    if (replacement === undefined) entry.chunks.length = Math.min(entry.chunks.length, index);
    else entry.chunks[index] = replacement.slice();
  }

  touch(patch: MetaPatch): void {
    const entry = this.entries.get(patch.url);
    if (entry !== undefined) entry.meta = mergePatch(entry.meta, patch);
  }

  async flush(): Promise<void> {}

  async delete(urls: readonly string[]): Promise<void> {
    for (const url of urls) {
      this.entries.delete(url);
      this.staged.delete(url);
    }
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
    this.staged.clear();
  }
}
