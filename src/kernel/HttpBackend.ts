import type { CacheStats, HttpOutcome, HttpRequest, RetryNotice } from "./protocol.js";

export interface HttpCallContext {
  signal: AbortSignal;
  onProgress(loaded: number, total: number | null): void;
  /** Told before each retry of the request. */
  onRetry?(notice: RetryNotice): void;
}

/**
 * How the page reaches the fetch/revalidate/store engine: in the page itself, or in the Service
 * Worker. Rejects with an `AssetError`. It checks `request.integrity` before it answers (the core
 * relies on it and does not hash HTTP bodies again).
 */
export interface HttpBackend {
  readonly kind: "service-worker" | "in-page";
  fetch(request: HttpRequest, ctx: HttpCallContext): Promise<HttpOutcome>;
  invalidate(url: string): Promise<void>;
  clear(): Promise<void>;
  stats(): Promise<CacheStats>;
  dispose(): void;
}
