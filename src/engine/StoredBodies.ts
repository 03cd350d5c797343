import { sha256Satisfies, verifyIntegrity } from "../kernel/verifyIntegrity.js";
import { chunkSpan } from "./bodyChunks.js";
import type { CacheWriter } from "./CacheWriter.js";
import { isBodySha256, type EntryMeta, type PersistentStore } from "./PersistentStore.js";
import { storedBodyIntact } from "./storedBodyIntact.js";

/**
 * Stored bodies read back, whole or in part, and checked against what was stored: a body or piece
 * that fails its SHA-256 (disk corruption, a torn write from another engine version) is dropped
 * and never served.
 */
export class StoredBodies {
  constructor(
    private readonly store: PersistentStore,
    private readonly writer: CacheWriter,
    private readonly now: () => number,
  ) {}

  /**
   * The stored body of `meta`, or null. With `integrity`, bytes that fail the caller's check are
   * dropped too, so the network can supply the expected ones. `readWithMeta`: the body as read
   * with the meta (`PersistentStore.getEntries`), checked the same way; read here when absent.
   */
  async read(meta: EntryMeta, integrity?: string, readWithMeta?: Uint8Array): Promise<Uint8Array | null> {
    let body: Uint8Array | undefined;
    try {
      body = readWithMeta ?? (await this.store.getBody(meta.url));
    } catch {
      return null;
    }
    const intact = body !== undefined && (await storedBodyIntact(body, meta));
    const known = integrity === undefined || !isBodySha256(meta.integrity) ? null : sha256Satisfies(meta.integrity, integrity);
    const wanted = intact && (integrity === undefined || (known ?? (await verifyIntegrity(body!, integrity))));
    if (!wanted) {
      await this.writer.drop([meta.url]);
      return null;
    }
    return body!;
  }

  /** Bytes `start` to `end` (exclusive) of the stored body of `meta`, or null. */
  async readRange(meta: EntryMeta, start: number, end: number): Promise<Uint8Array | null> {
    const chunks = meta.chunks;
    const pieces = chunks === undefined ? 0 : Math.ceil(meta.size / chunks.chunkBytes);
    if (chunks === undefined || !(chunks.chunkBytes > 0) || chunks.integrity.length !== pieces || end <= start) {
      // A body of one piece (or stored before pieces were hashed) is checked whole.
      const body = await this.read(meta);
      return body === null ? null : body.subarray(start, end);
    }
    // Whole pieces, each checked against its own hash: a damaged piece is never served.
    const { first, last } = chunkSpan(start, end, chunks.chunkBytes);
    const from = first * chunks.chunkBytes;
    const to = Math.min(meta.size, (last + 1) * chunks.chunkBytes);
    let read: Uint8Array | undefined;
    try {
      read = await this.store.getRange(meta.url, from, to);
    } catch {
      return null;
    }
    let intact = read !== undefined && read.length === to - from;
    for (let index = first; intact && index <= last; index++) {
      const offset = (index - first) * chunks.chunkBytes;
      intact = await verifyIntegrity(read!.subarray(offset, Math.min(offset + chunks.chunkBytes, read!.length)), chunks.integrity[index]!);
    }
    if (!intact) {
      await this.writer.drop([meta.url]);
      return null;
    }
    this.writer.noteUsed(meta.url, this.now());
    return read!.subarray(start - from, end - from);
  }
}
