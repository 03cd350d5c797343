import type { ServedFrom } from "../kernel/protocol.js";
import { AssetError } from "../kernel/AssetError.js";
import { Signal } from "./Signal.js";
import { whenCompleted } from "./whenCompleted.js";

export type HandleState = "pending" | "loading" | "loaded" | "failed" | "cancelled";

/** How a load ended, as the background work reports it; applied to the handle by `flush()`. */
export type HandleOutcome<T> =
  | { state: "loaded"; value: T; servedFrom: ServedFrom }
  | { state: "failed"; error: AssetError }
  | { state: "cancelled"; error: AssetError };

/**
 * One asset load. Its state, progress and signals change only inside `AssetServer.flush()`, on the
 * thread that calls it, so game code never races the network.
 */
export class Handle<T = unknown> {
  readonly uri: string;
  #absoluteUri: string | (() => string);
  /** Emits exactly once, from `flush()`, when the handle reaches a terminal state. */
  readonly completed = new Signal<Handle<T>>();

  private currentState: HandleState = "pending";
  private currentProgress = 0;
  private loadedValue: T | undefined = undefined;
  private failure: AssetError | null = null;
  private source: ServedFrom | null = null;
  private readonly requestCancel: (handle: Handle<T>) => void;
  /** @internal Expected size in bytes (from a manifest), for progress weighting. */
  readonly expectedBytes: number | undefined;

  /** @internal Handles are created by `AssetServer`. */
  constructor(uri: string, absoluteUri: string | (() => string), requestCancel: (handle: Handle<T>) => void, expectedBytes?: number) {
    this.uri = uri;
    this.#absoluteUri = absoluteUri;
    this.requestCancel = requestCancel;
    this.expectedBytes = expectedBytes;
  }

  /** The normalised absolute uri (the key in `BatchHandle.results()`); `uri` when it could not be parsed. */
  get absoluteUri(): string {
    if (typeof this.#absoluteUri === "function") this.#absoluteUri = this.#absoluteUri();
    return this.#absoluteUri;
  }

  get state(): HandleState {
    return this.currentState;
  }

  /** 0.0–1.0; real bytes for HTTP. Never moves backwards; 1 in every terminal state. */
  get progress(): number {
    return this.isDone ? 1 : this.currentProgress;
  }

  get value(): T | undefined {
    return this.loadedValue;
  }

  get error(): AssetError | null {
    return this.failure;
  }

  get isDone(): boolean {
    return this.currentState === "loaded" || this.currentState === "failed" || this.currentState === "cancelled";
  }

  /** Where the loaded value came from; `null` until loaded. */
  get servedFrom(): ServedFrom | null {
    return this.source;
  }

  /**
   * Resolves with the value once loaded; rejects with the `AssetError` on failure or cancel, or
   * with a `TIMEOUT` error after `timeoutMs` (the load itself goes on). Settles from `flush()`.
   */
  result(timeoutMs?: number): Promise<T> {
    if (this.isDone) return this.settled();
    return whenCompleted(this.completed, () => this.settled(), timeoutMs, () =>
      new AssetError("TIMEOUT", this.uri, { message: `result() waited ${timeoutMs} ms for ${this.uri}` }),
    );
  }

  /** Stops the work (the read is aborted once no other handle needs it); `cancelled` on the next flush. */
  cancel(): void {
    if (!this.isDone) this.requestCancel(this);
  }

  private settled(): Promise<T> {
    return this.currentState === "loaded" ? Promise.resolve(this.loadedValue as T) : Promise.reject(this.failure);
  }

  /** @internal Called by flush. */
  applyProgress(progress: number): void {
    if (!this.isDone && progress > this.currentProgress) this.currentProgress = Math.min(progress, 1);
  }

  /** @internal Called by flush. */
  applyLoading(): void {
    if (this.currentState === "pending") this.currentState = "loading";
  }

  /** @internal Called by flush; returns false when the handle had already finished. */
  applyOutcome(outcome: HandleOutcome<T>): boolean {
    if (this.isDone) return false;
    this.currentState = outcome.state;
    this.currentProgress = 1;
    if (outcome.state === "loaded") {
      this.loadedValue = outcome.value;
      this.source = outcome.servedFrom;
    } else {
      this.failure = outcome.error;
    }
    return true;
  }
}
