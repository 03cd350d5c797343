import type * as Comlink from "comlink";
import { AssetError } from "../kernel/AssetError.js";
import type { AssetWorkerApi, CacheStats, HttpOutcome, HttpRequest, ProgressReport, Result, RetryNotice } from "../kernel/protocol.js";
import type { HttpBackend, HttpCallContext } from "../kernel/HttpBackend.js";
import { SlicedDelivery } from "./SlicedDelivery.js";
import { type BatchCallEnd, WorkerBatch } from "./WorkerBatch.js";
import { runWorkerCall } from "./workerCall.js";
import type { LivenessTimings } from "./WorkerLiveness.js";

export interface ServiceWorkerBackendOptions extends Partial<LivenessTimings> {
  /** `navigator.serviceWorker`; calls fail with `WORKER_LOST` where there is none. */
  container?: ServiceWorkerContainer | null;
  /** `navigator.locks`, or null to watch the worker by heartbeat instead. */
  locks?: LockManager | null;
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
  /** Deadline of a control call (invalidate, clear, stats), re-sent across worker stops within it. */
  controlCallTimeoutMs?: number;
}

const DEFAULT_TIMINGS: LivenessTimings = {
  acceptTimeoutMs: 10_000,
  heartbeatTimeoutMs: 4_000,
  lossGraceMs: 25,
};
const DEFAULT_WORKER_WAIT_MS = 15_000;
const DEFAULT_CONTROL_CALL_TIMEOUT_MS = 30_000;
/**
 * Pause before sending a read again after its n-th loss in a row, each within `QUICK_LOSS_MS` of
 * being sent (the first goes at once): a worker that dies as it starts must not spin. A loss after
 * a worker ran that long is an ordinary stop, and starts the count again.
 */
const resendDelayMs = (quickLosses: number): number => (quickLosses <= 1 ? 0 : Math.min(2_000, 100 * 2 ** (quickLosses - 2)));
const QUICK_LOSS_MS = 1_000;

/** One HTTP read on its way through the worker, kept across the batches it is sent in. */
interface Read {
  request: HttpRequest;
  ctx: HttpCallContext;
  resolve(outcome: HttpOutcome): void;
  reject(error: AssetError): void;
  /** Losses in a row that came soon after sending (see `resendDelayMs`). */
  quickLosses: number;
  sentAt: number;
  lastLoss: string;
  /** The batch it is in now, and its id there. */
  batch: WorkerBatch | null;
  id: number;
  done: boolean;
}

/**
 * The HTTP backend that runs the fetch engine in the Service Worker. Reads issued within one task
 * go in one batch (`WorkerBatch`); a read cut off by a stopped or replaced worker is sent again to
 * the worker that is active then, as often as it takes, until the load's own deadline aborts it.
 * `WORKER_LOST` means no worker could be reached at all.
 */
export class ServiceWorkerBackend implements HttpBackend {
  readonly kind = "service-worker";
  readonly #container: ServiceWorkerContainer | null;
  readonly #locks: LockManager | null;
  readonly #registered: Promise<unknown>;
  readonly #timings: LivenessTimings;
  readonly #workerWaitMs: number;
  readonly #controlCallTimeoutMs: number;
  #controlWaitMs: number;
  readonly #disposed = new AbortController();
  /**
   * How to cancel each read in flight, for `dispose`: a listener each on `#disposed`'s signal made
   * every read's clean-up a search of a thousand listeners (10 ms of a 1,000-file batch).
   */
  readonly #open = new Set<() => void>();
  #outbox: Read[] = [];
  readonly #delivery = new SlicedDelivery();
  #nextId = 1;

  constructor(options: ServiceWorkerBackendOptions = {}) {
    this.#container = options.container !== undefined ? options.container : (globalThis.navigator?.serviceWorker ?? null);
    const navigatorLocks = (globalThis.navigator as (Navigator & { locks?: LockManager }) | undefined)?.locks ?? null;
    this.#locks = options.locks !== undefined ? options.locks : navigatorLocks;
    this.#registered = options.registered ?? Promise.resolve();
    // A registration failure is reported by the calls, not as an unhandled rejection.
    this.#registered.catch(() => undefined);
    this.#timings = {
      acceptTimeoutMs: options.acceptTimeoutMs ?? DEFAULT_TIMINGS.acceptTimeoutMs,
      heartbeatTimeoutMs: options.heartbeatTimeoutMs ?? DEFAULT_TIMINGS.heartbeatTimeoutMs,
      lossGraceMs: options.lossGraceMs ?? DEFAULT_TIMINGS.lossGraceMs,
    };
    this.#workerWaitMs = options.workerWaitMs ?? DEFAULT_WORKER_WAIT_MS;
    this.#controlWaitMs = options.controlWaitMs ?? 0;
    this.#controlCallTimeoutMs = options.controlCallTimeoutMs ?? DEFAULT_CONTROL_CALL_TIMEOUT_MS;
  }

  fetch(request: HttpRequest, ctx: HttpCallContext): Promise<HttpOutcome> {
    return new Promise<HttpOutcome>((resolve, reject) => {
      const read: Read = { request, ctx, resolve, reject, quickLosses: 0, sentAt: 0, lastLoss: "", batch: null, id: 0, done: false };
      const onAbort = (): void => this.#fail(read, new AssetError("CANCELLED", request.url));
      if (ctx.signal.aborted || this.#disposed.signal.aborted) return onAbort();
      ctx.signal.addEventListener("abort", onAbort, { once: true });
      this.#open.add(onAbort);
      const settle = read.resolve;
      const fail = read.reject;
      const cleanUp = (): void => {
        ctx.signal.removeEventListener("abort", onAbort);
        this.#open.delete(onAbort);
      };
      read.resolve = (outcome) => (cleanUp(), settle(outcome));
      read.reject = (error) => (cleanUp(), fail(error));
      this.#send(read);
    });
  }

  invalidate(url: string): Promise<void> {
    return this.#control<void>("invalidate", url, (api) => api.invalidate(url));
  }

  clear(): Promise<void> {
    return this.#control<void>("clear", "", (api) => api.clear());
  }

  stats(): Promise<CacheStats> {
    return this.#control<CacheStats>("stats", "", (api) => api.stats());
  }

  dispose(): void {
    this.#disposed.abort();
    for (const abort of [...this.#open]) abort();
  }

  /** Queues `read` for the batch of this task: every read issued before the task ends goes in one message. */
  #send(read: Read): void {
    this.#outbox.push(read);
    if (this.#outbox.length === 1) queueMicrotask(() => void this.#dispatch());
  }

  async #dispatch(): Promise<void> {
    const reads = this.#outbox;
    this.#outbox = [];
    let worker: ServiceWorker;
    try {
      worker = await this.#activeWorker(this.#disposed.signal);
    } catch (error) {
      const problem = AssetError.is(error) ? error : AssetError.from(error, "", "WORKER_LOST");
      for (const read of reads) this.#fail(read, new AssetError(problem.code, read.request.url, { message: `${problem.message}: ${read.request.url}`, cause: problem.cause }));
      return;
    }
    const waiting = reads.filter((read) => !read.done);
    if (waiting.length === 0) return;
    const now = Date.now();
    const batch = new WorkerBatch(
      waiting.map((read) => {
        read.id = this.#nextId++;
        read.batch = null;
        read.sentAt = now;
        return {
          call: { id: read.id, request: read.request },
          // Pass-through: the engine paced them, and the core keeps a handle's progress from going back.
          onProgress: (report: ProgressReport) => read.ctx.onProgress(report.loaded, report.total),
          onRetry: (notice: RetryNotice) => read.ctx.onRetry?.(notice),
          settle: (end: BatchCallEnd) => this.#delivery.deliver(() => this.#ended(read, end)),
        };
      }),
      this.#timings,
      this.#locks,
    );
    for (const read of waiting) read.batch = batch;
    batch.start(worker);
  }


  #ended(read: Read, end: BatchCallEnd): void {
    if (read.done) return;
    read.batch = null;
    switch (end.kind) {
      case "result":
        if (end.result.ok) {
          read.done = true;
          read.resolve(end.result.value);
        } else {
          this.#fail(read, AssetError.fromWire(end.result.error));
        }
        return;
      case "unreachable":
        this.#fail(read, new AssetError("WORKER_LOST", read.request.url, { message: `${end.reason}: ${read.request.url}`, cause: read.lastLoss || undefined }));
        return;
      case "lost": {
        // Sent again for as long as the load lives: its own timeout (the core's watchdog) aborts it.
        read.quickLosses = Date.now() - read.sentAt < QUICK_LOSS_MS ? read.quickLosses + 1 : 1;
        read.lastLoss = end.reason;
        const delay = resendDelayMs(read.quickLosses);
        if (delay === 0) this.#send(read);
        else setTimeout(() => read.done || this.#send(read), delay);
        return;
      }
    }
  }

  #fail(read: Read, error: AssetError): void {
    if (read.done) return;
    read.done = true;
    read.batch?.cancel(read.id);
    read.batch = null;
    read.reject(error);
  }

  async #control<T>(name: string, uri: string, run: (api: Comlink.Remote<AssetWorkerApi>) => Promise<Result<T>>): Promise<T> {
    const deadline = Date.now() + this.#controlCallTimeoutMs;
    let lostReason = "";
    for (let losses = 0; Date.now() < deadline; losses += 1) {
      if (losses > 0) await new Promise((resolve) => setTimeout(resolve, resendDelayMs(losses)));
      const worker = await this.#activeWorker(this.#disposed.signal, uri);
      const end = await runWorkerCall<T>(worker, this.#timings, this.#locks, run, this.#disposed.signal);
      switch (end.kind) {
        case "result":
          if (end.result.ok) return end.result.value;
          throw AssetError.fromWire(end.result.error);
        case "cancelled":
          throw new AssetError("CANCELLED", uri);
        case "unreachable":
          throw new AssetError("WORKER_LOST", uri, { message: `${end.reason}: ${name} ${uri}` });
        case "lost":
          lostReason = end.reason;
          break;
      }
    }
    throw new AssetError("TIMEOUT", uri, { message: `the service worker did not finish ${name} within ${this.#controlCallTimeoutMs} ms: ${uri}`, cause: lostReason });
  }

  /**
   * The worker to post to now. `ready` gives the registration once it has an active worker; its
   * `active` is live, so after an update it is already the new worker. A stopped worker is still
   * `active`: posting to it starts it again.
   */
  async #activeWorker(signal: AbortSignal, uri = ""): Promise<ServiceWorker> {
    const container = this.#container;
    if (!container) throw new AssetError("WORKER_LOST", uri, { message: "this browser has no service worker support here (it needs a secure context)" });
    let timer: ReturnType<typeof setTimeout> | undefined;
    let onAbort = (): void => undefined;
    const gaveUp = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new AssetError("WORKER_LOST", uri, { message: `no active service worker within ${this.#workerWaitMs} ms` })), this.#workerWaitMs);
      onAbort = () => reject(new AssetError("CANCELLED", uri));
      signal.addEventListener("abort", onAbort, { once: true });
    });
    gaveUp.catch(() => undefined);
    try {
      // A page the worker controls already has it: register() also checks the script for an update
      // first, which at times took 3.4 s in Chromium right after a reload (the benchmark's first
      // revalidation of a chain), while the active worker could have answered at once.
      if (!container.controller) {
        await Promise.race([
          this.#registered.catch((error: unknown) => {
            throw new AssetError("WORKER_LOST", uri, { cause: error, message: "the service worker could not be registered" });
          }),
          gaveUp,
        ]);
      }
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
