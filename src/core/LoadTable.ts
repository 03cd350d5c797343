import { AssetError } from "../kernel/AssetError.js";
import type { Clock } from "./Clock.js";
import { type Deadline, Deadlines } from "./Deadlines.js";
import type { FlushQueue } from "./FlushQueue.js";
import type { Handle, HandleOutcome } from "./Handle.js";
import type { LoadOptions } from "./options.js";
import type { ReadJob } from "./ReadJob.js";

/** Sees the outcome before the handle gets it (a manifest turning into its children). */
export type Intercept = (outcome: HandleOutcome<unknown>) => void;

/** Bookkeeping for one handle until it is finished. */
export interface LoadRecord {
  handle: Handle;
  job: ReadJob | null;
  reason: "queued" | "listing" | "reading";
  startedAt: number;
  /** The watchdog: TIMEOUT unless the load ends first. */
  deadline: Deadline<Handle> | null;
  timeoutMs: number;
  detachSignal: (() => void) | null;
  intercept: Intercept | null;
}

/** What `pending()` reports about a load that has not finished. */
export interface PendingLoad {
  uri: string;
  state: "pending" | "loading";
  /** Waiting for a read slot, reading, or listing a folder / reading a manifest. */
  reason: "queued" | "reading" | "listing";
  /** Other handles sharing the same read. */
  sharedWith: number;
  ageMs: number;
}

/**
 * Every handle not yet finished, with its watchdog timer and its caller's AbortSignal. `finish`
 * ends a handle once: later outcomes (a late read, a second cancel) are ignored.
 */
export class LoadTable {
  private readonly records = new Map<Handle, LoadRecord>();
  private readonly deadlines: Deadlines<Handle>;

  constructor(
    private readonly clock: Clock,
    private readonly flushQueue: FlushQueue,
    private readonly defaultTimeoutMs: number,
    private readonly onLoaded: (outcome: Extract<HandleOutcome<unknown>, { state: "loaded" }>) => void,
  ) {
    this.deadlines = new Deadlines(clock, (handle) => {
      const record = this.records.get(handle);
      if (!record) return;
      this.finish(handle, failure(new AssetError("TIMEOUT", handle.uri, { message: `${handle.uri} did not finish within ${record.timeoutMs} ms` })));
    });
  }

  get size(): number {
    return this.records.size;
  }

  get(handle: Handle): LoadRecord | undefined {
    return this.records.get(handle);
  }

  handles(): Handle[] {
    return [...this.records.keys()];
  }

  track(handle: Handle, opts: LoadOptions, intercept: Intercept | null): LoadRecord {
    const record: LoadRecord = { handle, job: null, reason: "queued", startedAt: this.clock.now(), deadline: null, timeoutMs: 0, detachSignal: null, intercept };
    this.records.set(handle, record);
    try {
      const timeoutMs = validCount(opts.timeoutMs) ?? this.defaultTimeoutMs;
      if (timeoutMs > 0) {
        record.timeoutMs = timeoutMs;
        record.deadline = this.deadlines.add(handle, timeoutMs);
      }
      const signal = opts.signal;
      if (signal && typeof signal.addEventListener === "function") {
        const onAbort = () => handle.cancel();
        if (signal.aborted) queueMicrotask(onAbort);
        else {
          signal.addEventListener("abort", onAbort, { once: true });
          record.detachSignal = () => {
            try {
              signal.removeEventListener("abort", onAbort);
            } catch {
              // Not a real AbortSignal; there is nothing more to undo.
            }
          };
        }
      }
    } catch (error) {
      // Options that throw (a getter, a fake AbortSignal) fail this load, never the call; after the
      // caller has set the load up, so its read is released too.
      queueMicrotask(() => this.finish(handle, failure(AssetError.from(error, handle.uri, "INVALID_URI"))));
    }
    return record;
  }

  /** Ends a handle's work once; the outcome is applied by the next flush. */
  finish(handle: Handle, outcome: HandleOutcome<unknown>): void {
    const record = this.release(handle);
    if (!record) return;
    record.job?.remove(handle);
    if (outcome.state === "loaded") this.onLoaded(outcome);
    record.intercept?.(outcome);
    // After a manifest's children were queued: the placeholder then ends outside the batch.
    this.flushQueue.finished(handle, outcome);
  }

  /** Forgets a handle without an outcome (a placeholder whose listing takes over); returns its record. */
  release(handle: Handle): LoadRecord | undefined {
    const record = this.records.get(handle);
    if (!record) return undefined;
    this.records.delete(handle);
    if (record.deadline !== null) this.deadlines.cancel(record.deadline);
    record.detachSignal?.();
    return record;
  }

  pending(): PendingLoad[] {
    const now = this.clock.now();
    return [...this.records.values()].map((record) => ({
      uri: record.handle.uri,
      state: record.handle.state === "loading" ? "loading" : "pending",
      reason: record.reason,
      sharedWith: record.job ? record.job.handles.length - 1 : 0,
      ageMs: Math.max(0, now - record.startedAt),
    }));
  }
}

export function failure(error: AssetError): HandleOutcome<unknown> {
  return error.code === "CANCELLED" ? { state: "cancelled", error } : { state: "failed", error };
}

export function validCount(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : undefined;
}
