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
  /** CORS kept the origin's answer from us (see `AssetError.corsRefusal`); set where a caller needs to know. */
  corsRefusal?: boolean;
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
  /** The load's priority: higher goes to the network first, and the browser gets a `fetch` priority hint. */
  priority?: number;
  /**
   * The bytes are also a slice of a pack (a pkg:// build, issue 15): when the store lacks them,
   * the engine may fetch them with other slices of that pack in one request.
   */
  pack?: PackSlice;
}

/** Where one file lies in a pack: `length` bytes at `offset` of the pack at `url` (`packBytes` long). */
export interface PackSlice {
  url: string;
  offset: number;
  length: number;
  packBytes: number;
}

/**
 * The engine's answer, in the shape a source answers (`ReadResult`), so an HTTP source passes it
 * on as it is; `notModified`: the page's `knownVersion` is still current and it may use its own copy.
 */
export type HttpOutcome =
  | { bytes: Uint8Array; version: string | null; servedFrom: ServedFrom }
  | { notModified: true; version: string | null; servedFrom: ServedFrom };

export interface ProgressReport {
  loaded: number;
  total: number | null;
}

/** A failed attempt that will be tried again after `delayMs`. */
export interface RetryNotice {
  /** The attempt that failed (1 = the first request). */
  attempt: number;
  delayMs: number;
  error: WireError;
}

/** What the persistent cache holds, and what its engine asked of the network, for the dev panel and tests. */
export interface CacheStats {
  entries: number;
  bytes: number;
  budgetBytes: number;
  /**
   * HTTP requests the engine has sent since it started (a worker's engine starts again when the
   * worker does): each attempt counts, retries too, and a pack (or a range of it) counts once,
   * however many files it holds. Absent from engines that do not count (a worker of an older build).
   */
  requests?: number;
  /** Files whose new bodies came from the network since the engine started, each file of a pack counting once. */
  files?: number;
}

/**
 * A control call (invalidate, clear, stats): sent to the worker's global scope, which wakes a
 * stopped worker; the call then runs through comlink on `port`.
 */
export interface WakeMessage {
  type: "simvx-assets:call";
  port: MessagePort;
  /** The page has no Web Locks: the worker sends `alive` ticks instead. */
  heartbeat?: boolean;
}

/** One HTTP read of a batch; `id` is unique within the page's session. */
export interface BatchCall {
  id: number;
  request: HttpRequest;
}

/**
 * Every HTTP read the page issued within one task, sent to the worker's global scope in one
 * message (an event, so it wakes a stopped worker, which then holds itself alive for the batch
 * with `waitUntil`). The worker answers on `port` with `BatchReply`s; the page cancels on it.
 */
export interface BatchWakeMessage {
  type: "simvx-assets:batch";
  port: MessagePort;
  calls: BatchCall[];
  /** The page has no Web Locks: the worker sends `alive` ticks instead. */
  heartbeat: boolean;
}

/** What the worker posts on a call's or a batch's port besides answers. */
export type LivenessReply =
  /**
   * First message: the worker took the call. While `lock` (a Web Lock name) is held the worker
   * is alive; the page waits for it, and is granted it the moment the worker ends the call or dies.
   * `null`: no Web Locks in the worker, so it sends `alive` ticks.
   */
  | { type: "simvx-assets:accepted"; lock: string | null }
  | { type: "simvx-assets:alive" };

/** Worker to page, on a batch's port. One `answers` message per worker task, bytes transferred. */
export type BatchReply =
  | LivenessReply
  | { type: "simvx-assets:answers"; answers: Array<{ id: number; result: Result<HttpOutcome> }> }
  | { type: "simvx-assets:progress"; id: number; report: ProgressReport }
  /** The read failed and is tried again after `notice.delayMs` (the page re-arms its own watch on it). */
  | { type: "simvx-assets:retry"; id: number; notice: RetryNotice }
  /** Every call of the batch has been answered; the worker releases the lock once the page acknowledges (`BatchAck`). */
  | { type: "simvx-assets:end" };

/** Page to worker, on a batch's port: these reads are no longer wanted (aborted at the network). */
export interface BatchCancel {
  type: "simvx-assets:cancel";
  ids: number[];
}

/**
 * Page to worker, on a batch's port: the page wants nothing more from this batch (every read
 * settled or cancelled) and has withdrawn its request for the batch's lock. The worker holds the
 * lock until then (or a short bound), so a lock granted to the page always means a dead worker,
 * however late the port's messages arrive behind the lock (WebKitGTK, under load).
 */
export interface BatchAck {
  type: "simvx-assets:ack";
}

/** What the page posts on a batch's port. */
export type BatchPageMessage = BatchCancel | BatchAck;

/** The API the worker exposes through comlink on a control call's port. */
export interface AssetWorkerApi {
  invalidate(url: string): Promise<Result<void>>;
  clear(): Promise<Result<void>>;
  stats(): Promise<Result<CacheStats>>;
  /** Which build of the worker answers. */
  ping(): Promise<Result<{ version: string }>>;
}

// Updates after a deploy (README, "Deploying"). Page to a worker of the registration, posted to
// its global scope like the wake messages; the worker answers windows of its own origin only.

/** Which build does this worker serve? Answered on `port` with a `BuildAnswer`; any worker state. */
export interface BuildQuery {
  type: "simvx-assets:build-query";
  port: MessagePort;
}

/** `build`: the id the Vite plugin stamped into the pkg index; null in dev (no build, no updates). */
export interface BuildAnswer {
  build: string | null;
}

/** To a waiting worker: the page stored the build's files; take over now (`skipWaiting`). */
export interface ActivateRequest {
  type: "simvx-assets:activate";
}

/** To the active worker: a page has started; delete what only builds no page runs reference. */
export interface PruneRequest {
  type: "simvx-assets:prune";
}

export type UpdateMessage = BuildQuery | ActivateRequest | PruneRequest;

/**
 * Page to page, over a `BroadcastChannel`: a tab found a new build, or finished applying it, so
 * the other tabs hear of it without a request of their own. `index` is the new build's pkg index
 * as served; each receiver validates it and compares it with the build it runs itself.
 */
export interface UpdateBroadcast {
  type: "simvx-assets:update-available" | "simvx-assets:update-ready";
  build: string;
  index: unknown;
  /** The index's size as served, in bytes (part of what an update downloads). */
  indexBytes: number;
}
