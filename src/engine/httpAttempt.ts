import { matchesValidator } from "./conditionalHeaders.js";
import { AssetError } from "../kernel/AssetError.js";
import { assetFailure } from "./assetFailure.js";
import { type BodyObserver, readBody, readBodyStart, readSmallBody, SMALL_BODY_BYTES } from "./readBody.js";
import { parseRetryAfter } from "./retryPolicy.js";

export interface AttemptRequest {
  fetch: typeof fetch;
  url: string;
  method: "GET" | "HEAD";
  headers: Record<string, string>;
  /** Aborting it aborts the fetch itself, so the connection closes. */
  signal: AbortSignal;
  maxBytes?: number;
  stallTimeoutMs?: number;
  /** Passed to the browser as the request's priority hint. */
  priority?: RequestPriority;
  /**
   * When anything last arrived from this request's origin. While a request waits for its headers
   * it has stalled only once the whole origin has been quiet that long: the browser queues requests
   * per host (six connections over HTTP/1.1), and one queued behind busy others has not stalled.
   */
  origin?: OriginActivity;
  /**
   * The request goes to another origin than the engine's own. It then carries no header of ours
   * (a conditional header is not CORS-safelisted and would cost a preflight, which stock static
   * servers refuse), and a failure is checked for a CORS refusal.
   */
  crossOrigin?: boolean;
  /**
   * Revalidation by the browser's HTTP cache (`cache: "no-cache"`: it sends its own conditional
   * request): an answer that still carries this validator is reported `notModified`, body unread.
   */
  unchangedIf?: string;
  /**
   * A GET body longer than this (or of unknown length) is not read here: the result is the body as
   * a stream (`kind: "stream"`), for the caller to hand on as it arrives (`StreamedBody`).
   */
  streamAbove?: number;
  now: () => number;
  isOffline: () => boolean;
  onProgress(loaded: number, total: number | null): void;
  /** A GET body read here (not a stream, nor one of at most `SMALL_BODY_BYTES`), as it arrives. */
  onReceived?: BodyObserver;
}

export interface OriginActivity {
  /** `performance.now()` of the last headers or body bytes from the origin. */
  lastMs: number;
}

export type AttemptResult =
  | { kind: "notModified"; headers: Headers }
  | { kind: "ok"; headers: Headers; bytes: Uint8Array }
  /** Only with `streamAbove`. The stall watchdog, `maxBytes` and the length check are then the reader's to apply. */
  | { kind: "stream"; headers: Headers; body: ReadableStream<Uint8Array>; expectedBytes: number | null; onChunk(): void };

/**
 * One HTTP exchange. Resolves for 2xx (with the whole body for GET) and 304; rejects with an
 * `AssetError` for everything else. Response bodies of failures are never read.
 */
export async function httpAttempt(request: AttemptRequest): Promise<AttemptResult> {
  const { url } = request;
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  request.signal.addEventListener("abort", abort, { once: true });
  if (request.signal.aborted) controller.abort();
  let stalled = false;
  let stallTimer: ReturnType<typeof setTimeout> | undefined;
  // Real time, like the timer itself (`request.now` may be a test's clock).
  let lastActivity = performance.now();
  // The watchdog covers the wait for headers too: a server that never answers has stalled. One
  // timer for the whole exchange, re-armed only when it fires: a body arrives in many chunks, and
  // a clearTimeout/setTimeout pair per chunk showed in the benchmark's profile.
  let headersArrived = false;
  const watch = (delayMs: number): void => {
    stallTimer = setTimeout(() => {
      const since = headersArrived || request.origin === undefined ? lastActivity : Math.max(lastActivity, request.origin.lastMs);
      const quietMs = performance.now() - since;
      if (quietMs < request.stallTimeoutMs!) return watch(request.stallTimeoutMs! - quietMs);
      stalled = true;
      controller.abort();
    }, delayMs);
  };
  const kick = (): void => {
    lastActivity = performance.now();
    if (request.origin) request.origin.lastMs = lastActivity;
  };
  if (request.stallTimeoutMs !== undefined) watch(request.stallTimeoutMs);
  try {
    // Default cache mode on purpose: with "no-store" some servers never answer 304, and a manually
    // set If-None-Match already makes the browser pass the server's answer through untouched.
    const init: RequestInit = { method: request.method, headers: request.headers, signal: controller.signal };
    if (request.priority !== undefined) init.priority = request.priority;
    if (request.unchangedIf !== undefined) init.cache = "no-cache";
    const response = await request.fetch(url, init);
    headersArrived = true;
    kick();
    if (response.type === "opaque" || response.type === "opaqueredirect") {
      throw assetFailure("HTTP", url, "opaque response refused (cross-origin without CORS)", { status: 0 });
    }
    if (response.status === 304) {
      void response.body?.cancel().catch(() => undefined);
      return { kind: "notModified", headers: response.headers };
    }
    if (!response.ok) {
      void response.body?.cancel().catch(() => undefined);
      throw statusFailure(response, url, request.now());
    }
    if (request.method === "HEAD") return { kind: "ok", headers: response.headers, bytes: new Uint8Array(0) };
    if (request.unchangedIf !== undefined && matchesValidator(response.headers, request.unchangedIf)) {
      void response.body?.cancel().catch(() => undefined);
      return { kind: "notModified", headers: response.headers };
    }
    const declared = declaredLength(response.headers);
    if (request.maxBytes !== undefined && declared !== null && declared > request.maxBytes) {
      throw assetFailure("TOO_LARGE", url, `asset is larger than allowed (${declared} > ${request.maxBytes} bytes)`);
    }
    const encoded = (response.headers.get("content-encoding") ?? "identity").toLowerCase() !== "identity";
    const expectedBytes = encoded ? null : declared;
    if (request.streamAbove !== undefined && response.body !== null && (expectedBytes === null || expectedBytes > request.streamAbove)) {
      // `onChunk` keeps the origin's activity current: a request queued behind this body has not stalled.
      if (expectedBytes !== null) return { kind: "stream", headers: response.headers, body: response.body, expectedBytes, onChunk: kick };
      // Unknown length (chunked, or compressed on the wire): a small body is still answered whole.
      const start = await readBodyStart(response.body, request.streamAbove, { uri: url, ...(request.maxBytes === undefined ? {} : { maxBytes: request.maxBytes }), onChunk: kick, onProgress: request.onProgress });
      if (start.rest === null) return { kind: "ok", headers: response.headers, bytes: start.bytes };
      return { kind: "stream", headers: response.headers, body: start.rest, expectedBytes: null, onChunk: kick };
    }
    const bytes =
      expectedBytes !== null && expectedBytes <= SMALL_BODY_BYTES
        ? await readSmallBody(response, url, expectedBytes, request.onProgress)
        : await readBody(response.body, {
            uri: url,
            expectedBytes,
            ...(request.maxBytes === undefined ? {} : { maxBytes: request.maxBytes }),
            onChunk: kick,
            onProgress: request.onProgress,
            ...(request.onReceived === undefined ? {} : { onReceived: request.onReceived }),
          });
    return { kind: "ok", headers: response.headers, bytes };
  } catch (error) {
    controller.abort();
    const failure = classify(error, request, stalled);
    if (failure.code === "NETWORK" && request.crossOrigin === true && !(AssetError.is(error)) && (await answersWithoutCors(request))) {
      throw assetFailure("NETWORK", url, "CORS refused the answer: the origin must send Access-Control-Allow-Origin for this page (and Access-Control-Expose-Headers: ETag to revalidate)", {
        cause: error,
        corsRefusal: true,
      });
    }
    throw failure;
  } finally {
    clearTimeout(stallTimer);
    request.signal.removeEventListener("abort", abort);
  }
}

/**
 * After a cross-origin request failed without an HTTP answer, was it CORS? The browser tells
 * scripts no more than "failed to fetch", for a refusal and for a reset connection alike. Two
 * HEADs tell them apart: one in CORS mode fails again only if CORS refuses the origin's answers
 * (a reset was a one-off: the failure stays a retryable network error); one in `no-cors` mode
 * (an opaque answer, never a preflight) shows that the origin does answer. Neither sends a body.
 */
async function answersWithoutCors(request: AttemptRequest): Promise<boolean> {
  const probe = (mode: RequestMode): Promise<boolean> =>
    request.fetch(request.url, { method: "HEAD", mode, cache: "no-store", signal: request.signal }).then(
      (response) => response.type === "opaque" || response.status > 0,
      () => false,
    );
  if (request.signal.aborted || request.isOffline()) return false;
  if (await probe("cors")) return false;
  return probe("no-cors");
}

function classify(error: unknown, request: AttemptRequest, stalled: boolean): AssetError {
  const { url } = request;
  if (request.signal.aborted) return assetFailure("CANCELLED", url, "cancelled");
  if (stalled) return assetFailure("TIMEOUT", url, `no data for ${request.stallTimeoutMs} ms`);
  if (AssetError.is(error)) return error;
  if (request.isOffline()) return assetFailure("OFFLINE", url, "offline and not cached", { cause: error });
  return assetFailure("NETWORK", url, "network error", { cause: error });
}

function statusFailure(response: Response, url: string, now: number): AssetError {
  const status = response.status;
  const statusText = response.statusText.slice(0, 100);
  if (status === 404 || status === 410) return assetFailure("NOT_FOUND", url, "not found", { status });
  const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"), now);
  return assetFailure("HTTP", url, `HTTP ${status}${statusText === "" ? "" : ` ${statusText}`}`, {
    status,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
}

function declaredLength(headers: Headers): number | null {
  const value = headers.get("content-length");
  return value !== null && /^\d+$/.test(value.trim()) ? Number(value) : null;
}
