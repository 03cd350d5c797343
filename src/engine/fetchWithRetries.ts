import type { HttpRequest, RetryNotice, WireError } from "../kernel/protocol.js";
import { AssetError } from "../kernel/AssetError.js";
import { assetFailure } from "./assetFailure.js";
import { httpAttempt } from "./httpAttempt.js";
import type { AttemptResult, OriginActivity } from "./httpAttempt.js";
import type { ProgressCallback } from "./ProgressPacer.js";
import type { BodyObserver } from "./readBody.js";
import { isRetryable, MAX_RETRIES, retryDelayMs, sleep } from "./retryPolicy.js";
import type { RetryTiming } from "./retryPolicy.js";

export interface RetryEvent {
  url: string;
  /** The attempt that failed (1 = the first request). */
  attempt: number;
  delayMs: number;
  error: WireError;
}

export interface NetworkConfig {
  fetch: typeof fetch;
  now: () => number;
  isOffline: () => boolean;
  timing: RetryTiming;
  onRetry: ((event: RetryEvent) => void) | undefined;
  /** Activity per origin, shared by every request of the engine (see `AttemptRequest.origin`). */
  origins: Map<string, OriginActivity>;
}

export interface NetworkCall {
  url: string;
  method: "GET" | "HEAD";
  headers: Record<string, string>;
  req: HttpRequest;
  signal: AbortSignal;
  onProgress: ProgressCallback;
  /** This request's own observer (the engine-wide `onRetry` is told too). */
  onRetry?: ((notice: RetryNotice) => void) | undefined;
  /** See `AttemptRequest.crossOrigin` and `unchangedIf`. */
  crossOrigin?: boolean;
  unchangedIf?: string;
  /** See `AttemptRequest.streamAbove`. */
  streamAbove?: number;
  /** See `AttemptRequest.onReceived`: each attempt's body, from its start. */
  onReceived?: BodyObserver;
}

/** `httpAttempt`, retried as `req.retries` allows for failures another try could fix. */
export async function fetchWithRetries(config: NetworkConfig, call: NetworkCall): Promise<AttemptResult> {
  const { url, req, signal } = call;
  const retries = Math.min(MAX_RETRIES, Math.max(0, Math.floor(Number(req.retries ?? 0)) || 0));
  const origin = activityOf(config.origins, url);
  const priority = priorityHint(req.priority);
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await httpAttempt({
        fetch: config.fetch, url, method: call.method, headers: call.headers, signal, now: config.now, isOffline: config.isOffline,
        ...(positive(req.maxBytes) ? { maxBytes: req.maxBytes } : {}),
        ...(positive(req.stallTimeoutMs) ? { stallTimeoutMs: req.stallTimeoutMs } : {}),
        ...(priority === undefined ? {} : { priority }),
        ...(origin === undefined ? {} : { origin }),
        ...(call.crossOrigin === true ? { crossOrigin: true } : {}),
        ...(call.unchangedIf === undefined ? {} : { unchangedIf: call.unchangedIf }),
        ...(call.streamAbove === undefined ? {} : { streamAbove: call.streamAbove }),
        ...(call.onReceived === undefined ? {} : { onReceived: call.onReceived }),
        onProgress: call.onProgress,
      });
    } catch (error) {
      const failure = AssetError.from(error, url, "NETWORK");
      if (attempt > retries || signal.aborted || !isRetryable(failure)) throw failure;
      const delayMs = retryDelayMs(attempt, failure.retryAfterMs, config.timing);
      for (const observe of [() => config.onRetry?.({ url, attempt, delayMs, error: failure.toWire() }), () => call.onRetry?.({ attempt, delayMs, error: failure.toWire() })]) {
        try {
          observe();
        } catch {
          // An observer's bug must not change the load.
        }
      }
      await sleep(delayMs, signal, () => assetFailure("CANCELLED", url, "cancelled"));
    }
  }
}

/** The browser's hint for a load's priority: above 0 is "high", below 0 "low", 0 left to the browser. */
export function priorityHint(priority: number | undefined): RequestPriority | undefined {
  if (typeof priority !== "number" || !Number.isFinite(priority) || priority === 0) return undefined;
  return priority > 0 ? "high" : "low";
}

function activityOf(origins: Map<string, OriginActivity>, url: string): OriginActivity | undefined {
  let origin: string;
  try {
    origin = new URL(url).origin;
  } catch {
    return undefined;
  }
  let activity = origins.get(origin);
  if (activity === undefined) {
    // Starts now: a request is not stalled by the quiet before it was made.
    activity = { lastMs: performance.now() };
    origins.set(origin, activity);
  }
  return activity;
}

function positive(value: number | undefined): value is number {
  return typeof value === "number" && Number.isFinite(value) && value > 0;
}
