import type { RetryNotice } from "../kernel/protocol.js";
import type { ProgressCallback } from "./ProgressPacer.js";

export type RetryCallback = (notice: RetryNotice) => void;

export interface SharedCaller {
  signal: AbortSignal;
  onProgress: ProgressCallback;
  onRetry?: RetryCallback;
}

/** What each caller of a shared request gets: the value, and how many callers received it. */
export interface SharedResult<T> {
  value: T;
  /** More than one: the value is shared, so a caller that will hand its bytes away must copy them. */
  sharedWith: number;
}

type Work<T> = (signal: AbortSignal, onProgress: ProgressCallback, onRetry: RetryCallback) => Promise<T>;

interface Flight<T> {
  controller: AbortController;
  callers: Set<SharedCaller>;
  promise: Promise<T>;
  lastProgress: [number, number | null] | undefined;
}

/**
 * Runs one piece of work per key, however many callers ask while it is in flight. Progress fans
 * out to every caller (a late joiner first gets the latest report); a caller that aborts is
 * rejected at once with an `AbortError` and detached; the work itself is aborted only when every
 * caller has gone.
 */
export class SharedRequests<T> {
  private readonly flights = new Map<string, Flight<T>>();

  /** Keys with work in flight (for tests and the dev panel). */
  get inFlight(): number {
    return this.flights.size;
  }

  run(key: string, caller: SharedCaller, work: Work<T>): Promise<SharedResult<T>> {
    if (caller.signal.aborted) return Promise.reject(cancelled());
    const flight = this.flights.get(key) ?? this.start(key, work);
    if (flight.lastProgress !== undefined) caller.onProgress(...flight.lastProgress);
    return new Promise<SharedResult<T>>((resolve, reject) => {
      flight.callers.add(caller);
      const onAbort = (): void => {
        if (!flight.callers.delete(caller)) return;
        reject(cancelled());
        if (flight.callers.size === 0) {
          if (this.flights.get(key) === flight) this.flights.delete(key);
          flight.controller.abort();
        }
      };
      caller.signal.addEventListener("abort", onAbort, { once: true });
      const settle = (deliver: () => void): void => {
        caller.signal.removeEventListener("abort", onAbort);
        if (!flight.callers.has(caller)) return;
        deliver();
      };
      flight.promise.then(
        (value) => settle(() => resolve({ value, sharedWith: flight.callers.size })),
        (error: unknown) => settle(() => reject(error)),
      );
    });
  }

  private start(key: string, work: Work<T>): Flight<T> {
    const controller = new AbortController();
    const flight: Flight<T> = { controller, callers: new Set(), promise: Promise.resolve() as Promise<T>, lastProgress: undefined };
    const tell = (notify: (caller: SharedCaller) => void): void => {
      for (const caller of [...flight.callers]) {
        try {
          notify(caller);
        } catch {
          // One caller's broken callback must not fail the load the others share.
        }
      }
    };
    const fanOut: ProgressCallback = (loaded, total) => {
      flight.lastProgress = [loaded, total];
      tell((caller) => caller.onProgress(loaded, total));
    };
    const fanOutRetry: RetryCallback = (notice) => tell((caller) => caller.onRetry?.(notice));
    // Deferred a microtask, so callers attach before the work can report or settle.
    flight.promise = Promise.resolve().then(() => work(controller.signal, fanOut, fanOutRetry));
    const forget = (): void => {
      if (this.flights.get(key) === flight) this.flights.delete(key);
    };
    flight.promise.then(forget, forget);
    this.flights.set(key, flight);
    return flight;
  }
}

function cancelled(): DOMException {
  return new DOMException("cancelled", "AbortError");
}
