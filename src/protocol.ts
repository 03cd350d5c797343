// Types shared by the page and the Service Worker. Only plain, structured-cloneable data crosses
// this boundary; this module holds types only and imports nothing, so either side may use it.

export type AssetErrorCode =
  | "INVALID_URI"
  | "UNSUPPORTED_SCHEME"
  | "NOT_FOUND"
  | "HTTP"
  | "NETWORK"
  | "OFFLINE"
  | "TIMEOUT"
  | "PARSE"
  | "INTEGRITY"
  | "TOO_LARGE"
  | "NOT_LISTABLE"
  | "CANCELLED"
  | "WORKER_LOST";

/** An error as data: what crosses the worker boundary and comes back as an `AssetError`. */
export interface WireError {
  code: AssetErrorCode;
  message: string;
  uri: string;
  status?: number;
  /** A short description of the underlying cause (never a response body). */
  cause?: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: WireError };

export type ServedFrom = "memory" | "persistent" | "revalidated" | "network" | "stale";

export type RevalidateMode = "conditional-get" | "head";

/** One HTTP asset request, as the page asks the fetch engine (in the worker or in the page). */
export interface HttpRequest {
  /** Absolute http(s) URL. */
  url: string;
  /** Version hint (ETag, else Last-Modified) of the copy the page's memory cache holds, if any. */
  knownVersion: string | null;
  /** `false`: no persistent-cache read and no write. */
  cache: boolean;
  revalidate: RevalidateMode;
  /** Subresource Integrity metadata; checked before anything is stored. */
  integrity?: string;
  /** Abort with TOO_LARGE past this many body bytes. */
  maxBytes?: number;
  /** Abort with TIMEOUT when no body bytes arrive for this long. */
  stallTimeoutMs?: number;
  /** Retries for network errors, 5xx, 408 and 429. */
  retries?: number;
  /** The URL is content-hashed (a pkg:// build asset): a stored copy is served without revalidation. */
  immutable?: boolean;
}

export type HttpOutcome =
  | { kind: "bytes"; bytes: Uint8Array; version: string | null; servedFrom: ServedFrom }
  /** The page's `knownVersion` is still current: it may use its own copy. */
  | { kind: "notModified"; version: string | null; servedFrom: ServedFrom };

export interface ProgressReport {
  loaded: number;
  total: number | null;
  /** Set when the report announces a retry instead of bytes (`loaded`/`total` then repeat the last ones). */
  retry?: RetryNotice;
}

/** A failed attempt that will be tried again after `delayMs`. */
export interface RetryNotice {
  /** The attempt that failed (1 = the first request). */
  attempt: number;
  delayMs: number;
  error: WireError;
}

/** What the persistent cache holds, for the dev panel and tests. */
export interface CacheStats {
  entries: number;
  bytes: number;
  budgetBytes: number;
}

/** Sent to the worker's global scope to wake it for one call; the call then runs on `port`. */
export interface WakeMessage {
  type: "simvx-assets:call";
  port: MessagePort;
}

/**
 * Posted by the worker on a call's port beside comlink's messages (which carry an `id`; this
 * does not, so comlink passes it by): a report needs no answer, so it costs one message, where a
 * comlink callback would cost a port of its own and a round trip per report.
 */
export interface ProgressMessage {
  type: "simvx-assets:progress";
  report: ProgressReport;
}

/** The API the worker exposes (through comlink) on each call's port; `fetch` reports progress with `ProgressMessage`s. */
export interface AssetWorkerApi {
  fetch(request: HttpRequest): Promise<Result<HttpOutcome>>;
  abort(): void;
  invalidate(url: string): Promise<Result<void>>;
  clear(): Promise<Result<void>>;
  stats(): Promise<Result<CacheStats>>;
  ping(): Promise<Result<{ version: string }>>;
}
