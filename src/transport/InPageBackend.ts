import { AssetError } from "../kernel/AssetError.js";
import type { FetchEngine } from "../engine/FetchEngine.js";
import type { CacheStats, HttpOutcome, HttpRequest, Result } from "../kernel/protocol.js";
import type { HttpBackend, HttpCallContext } from "../kernel/HttpBackend.js";

/**
 * The HTTP backend that runs the fetch engine in the page itself: in Node, before a Service
 * Worker controls the page, or where there is none. Engine errors (data) become `AssetError`s.
 */
export class InPageBackend implements HttpBackend {
  readonly kind = "in-page";
  readonly #engine: FetchEngine;
  readonly #disposed = new AbortController();
  /** How to stop each download in flight, for `dispose` (see `ServiceWorkerBackend`'s). */
  readonly #open = new Set<() => void>();

  constructor(engine: FetchEngine) {
    this.#engine = engine;
  }

  async fetch(request: HttpRequest, ctx: HttpCallContext): Promise<HttpOutcome> {
    this.#throwIfDisposed(request.url);
    // Disposing the backend stops its downloads too, not only the answers.
    const controller = new AbortController();
    const abort = (): void => controller.abort();
    ctx.signal.addEventListener("abort", abort, { once: true });
    this.#open.add(abort);
    if (ctx.signal.aborted) controller.abort();
    try {
      return unwrap(await this.#engine.request(request, { signal: controller.signal, onProgress: ctx.onProgress, ...(ctx.onRetry ? { onRetry: ctx.onRetry } : {}) }));
    } finally {
      ctx.signal.removeEventListener("abort", abort);
      this.#open.delete(abort);
    }
  }

  async invalidate(url: string): Promise<void> {
    this.#throwIfDisposed(url);
    unwrap(await this.#engine.invalidate(url));
  }

  async clear(): Promise<void> {
    this.#throwIfDisposed("");
    unwrap(await this.#engine.clear());
  }

  async stats(): Promise<CacheStats> {
    this.#throwIfDisposed("");
    return unwrap(await this.#engine.stats());
  }

  dispose(): void {
    if (this.#disposed.signal.aborted) return;
    this.#disposed.abort();
    for (const abort of [...this.#open]) abort();
    void this.#engine.flush();
  }

  #throwIfDisposed(uri: string): void {
    if (this.#disposed.signal.aborted) throw new AssetError("CANCELLED", uri, { message: `the HTTP backend was disposed: ${uri}` });
  }
}

function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw AssetError.fromWire(result.error);
  return result.value;
}
