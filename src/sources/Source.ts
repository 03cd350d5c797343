import type { AssetError } from "../kernel/AssetError.js";
import type { ServedFrom } from "../kernel/protocol.js";

export interface ReadContext {
  signal: AbortSignal;
  /** Version hint of the copy the caches already hold; a source that can confirm it cheaply answers `notModified`. */
  knownVersion: string | null;
  onProgress(loaded: number, total: number | null): void;
  /** A source that retries tells of each retry here (attempt that failed, wait before the next). */
  onRetry?(attempt: number, delayMs: number, error: AssetError): void;
  /** `false`: the caller asked for a fresh read; a source with a cache of its own must bypass it. */
  cache?: boolean;
  /** SRI metadata: a source that stores bytes checks it before storing. */
  integrity?: string;
  maxBytes?: number;
  retries?: number;
  stallTimeoutMs?: number;
  /** The load's priority (higher first), for a source that schedules its own reads. */
  priority?: number;
}

export type ReadResult =
  | { bytes: Uint8Array; version: string | null; servedFrom?: ServedFrom }
  | { notModified: true; version: string | null; servedFrom?: ServedFrom };

/** Where bytes come from. One implementation per URI scheme (`pkg`, `file`, `http(s)`, `mem`). */
export interface Source {
  read(uri: string, ctx: ReadContext): Promise<ReadResult>;
  /**
   * The source schedules its reads and watches them for stalls itself (HTTP: the worker and the
   * browser queue requests per host, the fetch engine times out a stalled exchange). The core then
   * starts its reads without waiting for one of the `maxWorkers` read slots and runs no stall backstop.
   */
  readonly schedulesOwnReads?: boolean;
  /**
   * The source checks `ctx.integrity` itself before it answers (HTTP: the engine hashes the body
   * once, before storing it), so the core does not hash the same bytes again.
   */
  readonly checksIntegrity?: boolean;
  /** Absolute uris of the files below `uri`. Without it, `loadFolder` fails with `NOT_LISTABLE`. */
  list?(uri: string, opts: { recursive: boolean }): Promise<string[]>;
  /**
   * A URL any code on the page can fetch for `uri` (an `<img>`, CSS, another engine's loader);
   * absent when the source has none (`mem://`, `file://`). Synchronous: `AssetServer.urlOf`.
   */
  urlOf?(uri: string): string;
  /** Drops `uri` from any cache the source keeps of its own (the persistent HTTP cache). */
  invalidateCache?(uri: string): Promise<void>;
  /** Empties any cache the source keeps of its own; never the source's content. */
  clearCache?(): Promise<void>;
}

export function isNotModified(result: ReadResult): result is Extract<ReadResult, { notModified: true }> {
  return "notModified" in result;
}
