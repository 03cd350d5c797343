import type * as Comlink from "comlink";
import { AssetError } from "../core/AssetError.js";
import type { AssetWorkerApi, CacheStats, HttpOutcome, HttpRequest, ProgressReport, Result } from "../protocol.js";
import type { HttpBackend, HttpCallContext } from "./HttpBackend.js";
import { runWorkerCall, type WorkerCallTimings } from "./workerCall.js";

export interface ServiceWorkerBackendOptions extends Partial<WorkerCallTimings> {
  /** `navigator.serviceWorker`; calls fail with `WORKER_LOST` where there is none. */
  container?: ServiceWorkerContainer | null;
  /** Resolves once the worker is registered; a rejection fails every call with `WORKER_LOST`. */
  registered?: Promise<unknown>;
  /** How long a call waits for an active worker (first install, an update taking over). */
  workerWaitMs?: number;
  /**
   * How long the first call waits, once a worker is active, for it to control the page
   * (`clients.claim()` right after activation). A page that stays uncontrolled (after a hard
   * reload) is still served: the worker answers any window of its origin.
   */
  controlWaitMs?: number;
}

const DEFAULT_TIMINGS: WorkerCallTimings = {
  firstAnswerTimeoutMs: 10_000,
  heartbeatTimeoutMs: 4_000,
  pingIntervalMs: 1_000,
  firstPingDelayMs: 100,
  // Loads have their own, shorter timeout in the core; this only stops a call from living forever.
  callTimeoutMs: 5 * 60_000,
};
const DEFAULT_WORKER_WAIT_MS = 15_000;

type CallName = "fetch" | "invalidate" | "clear" | "stats" | "ping";

/**
 * The HTTP backend that runs the fetch engine in the Service Worker. Every call gets its own
 * port and wakes the worker (see `runWorkerCall`); a call cut off by a stopped or replaced worker
 * is retried once on the worker that is active then, and otherwise fails with `WORKER_LOST`.
 */
export class ServiceWorkerBackend implements HttpBackend {
  readonly kind = "service-worker";
  readonly #container: ServiceWorkerContainer | null;
  readonly #registered: Promise<unknown>;
  readonly #timings: WorkerCallTimings;
  readonly #workerWaitMs: number;
  #controlWaitMs: number;
  readonly #disposed = new AbortController();

  constructor(options: ServiceWorkerBackendOptions = {}) {
    this.#container = options.container !== undefined ? options.container : (globalThis.navigator?.serviceWorker ?? null);
    this.#registered = options.registered ?? Promise.resolve();
    // A registration failure is reported by the calls, not as an unhandled rejection.
    this.#registered.catch(() => undefined);
    this.#timings = {
      firstAnswerTimeoutMs: options.firstAnswerTimeoutMs ?? DEFAULT_TIMINGS.firstAnswerTimeoutMs,
      heartbeatTimeoutMs: options.heartbeatTimeoutMs ?? DEFAULT_TIMINGS.heartbeatTimeoutMs,
      pingIntervalMs: options.pingIntervalMs ?? DEFAULT_TIMINGS.pingIntervalMs,
      firstPingDelayMs: options.firstPingDelayMs ?? DEFAULT_TIMINGS.firstPingDelayMs,
      callTimeoutMs: options.callTimeoutMs ?? DEFAULT_TIMINGS.callTimeoutMs,
    };
    this.#workerWaitMs = options.workerWaitMs ?? DEFAULT_WORKER_WAIT_MS;
    this.#controlWaitMs = options.controlWaitMs ?? 0;
  }

  async fetch(request: HttpRequest, ctx: HttpCallContext): Promise<HttpOutcome> {
    // A retried call starts counting from zero again; the load's progress must not go back.
    let reported = -1;
    const onProgress = (report: ProgressReport): void => {
      if (report.retry) {
        ctx.onRetry?.(report.retry);
        return;
      }
      if (report.loaded < reported) return;
      reported = report.loaded;
      ctx.onProgress(report.loaded, report.total);
    };
    return this.#call<HttpOutcome>("fetch", request.url, ctx.signal, (api) => api.fetch(request), onProgress);
  }

  async invalidate(url: string): Promise<void> {
    await this.#call<void>("invalidate", url, undefined, (api) => api.invalidate(url));
  }

  async clear(): Promise<void> {
    await this.#call<void>("clear", "", undefined, (api) => api.clear());
  }

  async stats(): Promise<CacheStats> {
    return this.#call<CacheStats>("stats", "", undefined, (api) => api.stats());
  }

  /** Asks the worker which build it runs; resolves once a worker answers. */
  async version(): Promise<string> {
    const answer = await this.#call<{ version: string }>("ping", "", undefined, (api) => api.ping());
    return answer.version;
  }

  dispose(): void {
    this.#disposed.abort();
  }

  async #call<T>(
    name: CallName,
    uri: string,
    signal: AbortSignal | undefined,
    run: (api: Comlink.Remote<AssetWorkerApi>) => Promise<Result<T>>,
    onProgress?: (report: ProgressReport) => void,
  ): Promise<T> {
    const callSignal = signal ? AbortSignal.any([signal, this.#disposed.signal]) : this.#disposed.signal;
    let lostReason = "";
    for (let attempt = 0; attempt < 2; attempt++) {
      if (callSignal.aborted) throw new AssetError("CANCELLED", uri);
      const worker = await this.#activeWorker(uri, callSignal);
      const end = await runWorkerCall<T>(worker, this.#timings, run, { signal: callSignal, ...(onProgress ? { onProgress } : {}) });
      switch (end.kind) {
        case "result":
          if (end.result.ok) return end.result.value;
          throw AssetError.fromWire(end.result.error);
        case "cancelled":
          throw new AssetError("CANCELLED", uri);
        case "timeout":
          throw new AssetError("TIMEOUT", uri, { message: `the service worker did not finish ${name} in ${this.#timings.callTimeoutMs} ms: ${uri}` });
        case "lost":
          lostReason = end.reason;
          break;
      }
    }
    throw new AssetError("WORKER_LOST", uri, { cause: lostReason });
  }

  /**
   * The worker to post to now. `ready` gives the registration once it has an active worker; its
   * `active` is live, so after an update it is already the new worker. A stopped worker is still
   * `active`: posting to it starts it again.
   */
  async #activeWorker(uri: string, signal: AbortSignal): Promise<ServiceWorker> {
    const container = this.#container;
    if (!container) throw new AssetError("WORKER_LOST", uri, { message: `this browser has no service worker support here (it needs a secure context): ${uri}` });
    let timer: ReturnType<typeof setTimeout> | undefined;
    let onAbort = (): void => undefined;
    const gaveUp = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new AssetError("WORKER_LOST", uri, { message: `no active service worker within ${this.#workerWaitMs} ms: ${uri}` })),
        this.#workerWaitMs,
      );
      onAbort = () => reject(new AssetError("CANCELLED", uri));
      signal.addEventListener("abort", onAbort, { once: true });
    });
    gaveUp.catch(() => undefined);
    try {
      await Promise.race([
        this.#registered.catch((error: unknown) => {
          throw new AssetError("WORKER_LOST", uri, { cause: error, message: `the service worker could not be registered: ${uri}` });
        }),
        gaveUp,
      ]);
      const registration = await Promise.race([container.ready, gaveUp]);
      if (this.#controlWaitMs > 0 && !container.controller) {
        await Promise.race([nextEvent(container, "controllerchange", this.#controlWaitMs), gaveUp]);
      }
      this.#controlWaitMs = 0;
      for (;;) {
        const worker = registration.active;
        if (worker && worker.state !== "redundant") return worker;
        // Between an old worker turning redundant and the new one becoming active.
        await Promise.race([nextEvent(container, "controllerchange", 250), gaveUp]);
      }
    } finally {
      clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
    }
  }
}

/** Resolves on the event or after `maxWaitMs`, whichever comes first. */
function nextEvent(target: EventTarget, type: string, maxWaitMs: number): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      target.removeEventListener(type, done);
      resolve();
    };
    const timer = setTimeout(done, maxWaitMs);
    target.addEventListener(type, done, { once: true });
  });
}
