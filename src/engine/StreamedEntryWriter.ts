import { sha256Integrity, sha256Satisfies } from "../kernel/verifyIntegrity.js";
import type { CacheWriter } from "./CacheWriter.js";
import { BODY_CHUNK_BYTES, type EntryMeta, type PersistentStore } from "./PersistentStore.js";
import type { BodySink } from "./StreamedBody.js";

export interface StreamedEntryTarget {
  store: PersistentStore;
  writer: CacheWriter;
  /** The entry's meta but for what only the whole body tells (size, integrity, pieces). */
  meta: Omit<EntryMeta, "size" | "integrity" | "chunks">;
  /** The request's integrity: a body whose whole hash is known and fails it is not kept. */
  integrity: string | undefined;
  /** False once the store was cleared after the request began: nothing may be kept then. */
  current(): boolean;
}

/** Prefix of the integrity of a body stored as it streamed in, when no whole-body hash is known. */
export const PIECES_INTEGRITY_PREFIX = "pieces-sha256-";

/**
 * Stores a body as it streams in, in `BODY_CHUNK_BYTES` pieces, each hashed and written as soon as
 * it is full, with the meta written last (`commitPieces`): a reader never sees a part-written body,
 * and an abandoned one leaves no entry. The whole body is never held here.
 */
export class StreamedEntryWriter implements BodySink {
  private piece: Uint8Array = new Uint8Array(BODY_CHUNK_BYTES);
  /** The last piece's buffer, once the store has it (IndexedDB clones on `put`): the next piece reuses it instead of leaving 1 MiB of garbage per piece. */
  private spare: Uint8Array | null = null;
  private filled = 0;
  private written = 0;
  private readonly hashes: string[] = [];
  private failed = false;
  private pendingPieces = 0;
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly target: StreamedEntryTarget) {}

  write(chunk: Uint8Array): Promise<void> {
    if (this.failed) return Promise.resolve();
    for (let offset = 0; offset < chunk.length; ) {
      const take = Math.min(chunk.length - offset, BODY_CHUNK_BYTES - this.filled);
      this.piece.set(chunk.subarray(offset, offset + take), this.filled);
      this.filled += take;
      offset += take;
      if (this.filled === BODY_CHUNK_BYTES) this.flushPiece();
    }
    // The reader waits for the store before it reads on: a slow disk must not pile pieces up here.
    return this.chain;
  }

  async close(wholeSha256: string | null): Promise<void> {
    // An empty body is one empty piece, as `putMany` stores it.
    if (this.filled > 0 || this.hashes.length + this.pendingPieces === 0) this.flushPiece();
    await this.chain;
    if (this.failed) return;
    const { store, writer, meta, integrity, current } = this.target;
    const size = this.written;
    // One piece: its hash is the body's. More: the whole hash only when a caller held the body whole.
    const whole = this.hashes.length === 1 ? this.hashes[0]! : wholeSha256;
    if (whole !== null && integrity !== undefined && sha256Satisfies(whole, integrity) === false) return this.abandonAndWait();
    const entry: EntryMeta = {
      ...meta,
      size,
      integrity: whole ?? (await piecesIntegrity(this.hashes)),
      ...(this.hashes.length > 1 ? { chunks: { chunkBytes: BODY_CHUNK_BYTES, integrity: [...this.hashes] } } : {}),
    };
    if (!current()) return this.abandonAndWait();
    try {
      await store.commitPieces(entry);
      writer.noteStored(entry);
    } catch {
      await this.abandonAndWait();
    }
  }

  private abandonAndWait(): Promise<void> {
    this.abandon();
    return this.chain;
  }

  /** Nothing is kept: the pieces written so far are deleted (there is no meta to delete). */
  abandon(): void {
    if (this.failed) return;
    this.failed = true;
    const { writer, meta } = this.target;
    this.chain = this.chain.then(() => writer.drop([meta.url]));
  }

  private flushPiece(): void {
    const buffer = this.piece;
    const piece = buffer.subarray(0, this.filled);
    this.piece = this.spare ?? new Uint8Array(BODY_CHUNK_BYTES);
    this.spare = null;
    this.filled = 0;
    this.pendingPieces += 1;
    const { store, writer, meta, current } = this.target;
    this.chain = this.chain
      .then(async () => {
        if (this.failed) return;
        if (!current() || !(await writer.reserve(meta.url, this.written + piece.length))) throw new Error("not kept");
        const hash = await sha256Integrity(piece);
        await store.putPieces(meta.url, this.written, piece);
        this.hashes.push(hash);
        this.written += piece.length;
        this.spare = buffer;
      })
      .catch(() => this.abandon())
      .finally(() => (this.pendingPieces -= 1));
  }
}

/** The integrity of a body known only by its pieces' hashes: a SHA-256 over them, in order. */
async function piecesIntegrity(hashes: readonly string[]): Promise<string> {
  const sha256 = await sha256Integrity(new TextEncoder().encode(hashes.join("\n")));
  return PIECES_INTEGRITY_PREFIX + sha256.slice("sha256-".length);
}
