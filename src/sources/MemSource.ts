import { AssetError } from "../kernel/AssetError.js";
import { throwIfCancelled } from "../kernel/abort.js";
import type { ReadContext, ReadResult, Source } from "./Source.js";
import { childUri } from "./uriPath.js";

interface MemEntry {
  bytes: Uint8Array;
  /** The source-wide revision at this entry's last `set`. */
  revision: number;
}

const PREFIX = /^mem:\/\//i;

/**
 * `mem://key`: bytes held in memory, for tests and generated data. Keys are the uri without
 * `mem://`. Every `set` takes a new revision from one source-wide counter, so a same-length update,
 * or a key deleted and set again, never looks like the copy a cache already holds.
 */
export class MemSource implements Source {
  private readonly entries = new Map<string, MemEntry>();
  private revision = 0;
  private readonly listeners = new Set<(uri: string) => void>();

  /** Calls `listener` with the `mem://` uri of every key that is set or deleted; returns the way to stop. */
  onChange(listener: (uri: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Stores `value` under `key` (a `mem://` prefix is accepted). Bytes (`Uint8Array`, any typed array
   * or `ArrayBuffer`) are copied; a string is stored as UTF-8; anything else as JSON text.
   */
  set(key: string, value: unknown): void {
    this.revision += 1;
    this.entries.set(keyOf(key), { bytes: toBytes(value, key), revision: this.revision });
    this.changed(key);
  }

  /** A copy of the bytes stored under `key`, or undefined. */
  get(key: string): Uint8Array | undefined {
    return this.entries.get(keyOf(key))?.bytes.slice();
  }

  has(key: string): boolean {
    return this.entries.has(keyOf(key));
  }

  delete(key: string): boolean {
    const deleted = this.entries.delete(keyOf(key));
    if (deleted) this.changed(key);
    return deleted;
  }

  keys(): string[] {
    return [...this.entries.keys()];
  }

  clear(): void {
    const keys = [...this.entries.keys()];
    this.entries.clear();
    for (const key of keys) this.changed(key);
  }

  private changed(key: string): void {
    const uri = `mem://${keyOf(key)}`;
    for (const listener of [...this.listeners]) {
      try {
        listener(uri);
      } catch {
        // A listener's bug must not fail the set.
      }
    }
  }

  async read(uri: string, ctx: ReadContext): Promise<ReadResult> {
    throwIfCancelled(ctx.signal, uri);
    const entry = this.lookup(uri);
    if (entry === undefined) throw new AssetError("NOT_FOUND", uri, { message: `no mem:// entry for ${uri} (keys are set with server.mem.set)` });
    const version = String(entry.revision);
    if (ctx.knownVersion === version) return { notModified: true, version };
    const size = entry.bytes.byteLength;
    ctx.onProgress(0, size);
    // A copy: the caller may hand the bytes to user code, which must not be able to edit the store.
    const bytes = entry.bytes.slice();
    ctx.onProgress(size, size);
    return { bytes, version };
  }

  /** Keys below `uri` as absolute `mem://` uris, sorted; direct children only unless recursive. */
  async list(uri: string, opts: { recursive: boolean }): Promise<string[]> {
    const folder = requestedKey(uri);
    const prefixes = [...new Set([folder, decodeKey(folder)])].map((path) => (path === "" || path.endsWith("/") ? path : `${path}/`));
    const found: string[] = [];
    for (const key of this.entries.keys()) {
      const prefix = prefixes.find((candidate) => key.startsWith(candidate) && key !== candidate);
      if (prefix === undefined) continue;
      if (!opts.recursive && key.slice(prefix.length).includes("/")) continue;
      found.push(childUri("mem://", key));
    }
    return found.sort();
  }

  /** The entry a (normalised, percent-encoded) uri names: the key as written, else as decoded. */
  private lookup(uri: string): MemEntry | undefined {
    const written = requestedKey(uri);
    return this.entries.get(written) ?? this.entries.get(decodeKey(written));
  }
}

function keyOf(key: string): string {
  return key.replace(PREFIX, "");
}

/** The key part of a uri being read or listed: no scheme, no `?query` or `#hash`. */
function requestedKey(uri: string): string {
  return keyOf(uri).replace(/[?#].*$/s, "");
}

function decodeKey(key: string): string {
  try {
    return decodeURIComponent(key);
  } catch {
    return key;
  }
}

function toBytes(value: unknown, key: string): Uint8Array {
  if (value instanceof Uint8Array) return value.slice();
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength));
  if (value instanceof ArrayBuffer) return new Uint8Array(value.slice(0));
  if (typeof value === "string") return new TextEncoder().encode(value);
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError(`mem.set(${JSON.stringify(key)}): ${typeof value} cannot be stored (not bytes, text or JSON)`);
  return new TextEncoder().encode(json);
}
