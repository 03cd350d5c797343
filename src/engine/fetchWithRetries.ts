import type { HttpRequest, RetryNotice, WireError } from "../protocol.js";
import { asEngineFailure, cancelledFailure } from "./engineErrors.js";
import { httpAttempt } from "./httpAttempt.js";
import type { AttemptResult } from "./httpAttempt.js";
import type { ProgressCallback } from "./progressThrottle.js";
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
}

/** `httpAttempt`, retried as `req.retries` allows for failures another try could fix. */
export async function fetchWithRetries(config: NetworkConfig, call: NetworkCall): Promise<AttemptResult> {
  const { url, req, signal } = call;
  const retries = Math.min(MAX_RETRIES, Math.max(0, Math.floor(Number(req.retries ?? 0)) || 0));
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await httpAttempt({
        fetch: config.fetch, url, method: call.method, headers: call.headers, signal, now: config.now, isOffline: config.isOffline,
        ...(positive(req.maxBytes) ? { maxBytes: req.maxBytes } : {}),
        ...(positive(req.stallTimeoutMs) ? { stallTimeoutMs: req.stallTimeoutMs } : {}),
        onProgress: call.onProgress,
      });
    } catch (error) {
      const failure = asEngineFailure(error, url, "NETWORK");
      if (attempt > retries || signal.aborted || !isRetryable(failure)) throw failure;
      const delayMs = retryDelayMs(attempt, failure.retryAfterMs, config.timing);
      for (const observe of [() => config.onRetry?.({ url, attempt, delayMs, error: failure.wire }), () => call.onRetry?.({ attempt, delayMs, error: failure.wire })]) {
        try {
          observe();
        } catch {
          // An observer's bug must not change the load.
        }
      }
      await sleep(delayMs, signal, () => cancelledFailure(url));
    }
  }
}

function positive(value: number | undefined): value is number {
  return typeof value === "number" && Number.isFinite(value) && value > 0;
}
