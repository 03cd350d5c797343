import type { AssetError } from "../kernel/AssetError.js";

export interface RetryTiming {
  /** First backoff delay; doubles on each attempt. */
  baseDelayMs: number;
  /** Ceiling for any wait, including one the server asked for with Retry-After. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_TIMING: RetryTiming = { baseDelayMs: 250, maxDelayMs: 30_000 };

/** Most retries one request may ask for: a typo like `retries: 1e9` must not loop for hours. */
export const MAX_RETRIES = 10;

/**
 * Only failures that another try could fix: network errors and stalls, 5xx, 408 (request
 * timeout) and 429 (too many requests). Other 4xx are the client's fault and would fail again.
 * OFFLINE is not retried: the page is known to have no network.
 */
export function isRetryable(failure: AssetError): boolean {
  if (failure.corsRefusal) return false;
  if (failure.code === "NETWORK" || failure.code === "TIMEOUT") return true;
  if (failure.code !== "HTTP" || failure.status === undefined) return false;
  const status = failure.status;
  return status >= 500 || status === 408 || status === 429;
}

/**
 * Wait before retry number `attempt` (1-based): the server's Retry-After when it gave one, else
 * exponential backoff with jitter (half fixed, half random, so clients that failed together do
 * not come back together). Always capped.
 */
export function retryDelayMs(attempt: number, retryAfterMs: number | undefined, timing: RetryTiming, random: () => number = Math.random): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, timing.maxDelayMs);
  const exponential = timing.baseDelayMs * 2 ** (attempt - 1);
  return Math.min(timing.maxDelayMs, exponential / 2 + (random() * exponential) / 2);
}

/** `Retry-After` as a wait in ms: delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(header: string | null, now: number): number | undefined {
  if (header === null) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Resolves after `ms`, or rejects with `onAbort()` as soon as `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal, onAbort: () => unknown): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(onAbort());
      return;
    }
    const abort = (): void => {
      clearTimeout(timer);
      reject(onAbort());
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", abort);
      resolve();
    }, ms);
    signal.addEventListener("abort", abort, { once: true });
  });
}
