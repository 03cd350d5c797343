import { AssetError } from "../../../src/kernel/AssetError.js";
import type { AssetServer } from "../../../src/core/AssetServer.js";
import type { BatchHandle } from "../../../src/core/BatchHandle.js";
import type { Handle } from "../../../src/core/Handle.js";
import { ERROR_CODES } from "./FaultySource.js";

interface HandleWatch {
  handle: Handle;
  completions: number;
  lastProgress: number;
}

interface BatchWatch {
  batch: BatchHandle;
  completions: number;
  items: Handle[];
  itemsAfterCompleted: number;
  lastProgress: number;
}

/**
 * Watches handles and batches through their public API and collects every broken promise of the
 * contract: signals firing twice or out of order, progress outside [0, 1] or going backwards
 * between flushes, a handle that never ends or ends without an `AssetError` code.
 */
export class LoadWatcher {
  readonly problems: string[] = [];
  private readonly handles = new Map<Handle, HandleWatch>();
  private readonly batches = new Map<BatchHandle, BatchWatch>();

  constructor(private readonly server: AssetServer) {}

  handle<T>(handle: Handle<T>): Handle<T> {
    if (this.handles.has(handle as Handle)) return handle;
    // A child found already done (a folder's or manifest's, seen only after a flush) completed once
    // before it was watched; any further emission still counts.
    const watch: HandleWatch = { handle: handle as Handle, completions: handle.isDone ? 1 : 0, lastProgress: handle.progress };
    this.handles.set(handle as Handle, watch);
    handle.completed.connect((emitted) => {
      watch.completions += 1;
      if (emitted !== handle) this.problem(handle as Handle, "completed emitted another handle");
      if (!handle.isDone) this.problem(handle as Handle, `completed emitted in state ${handle.state}`);
    });
    return handle;
  }

  batch(batch: BatchHandle): BatchHandle {
    const watch: BatchWatch = { batch, completions: 0, items: [], itemsAfterCompleted: 0, lastProgress: 0 };
    this.batches.set(batch, watch);
    batch.itemCompleted.connect((item) => {
      watch.items.push(item);
      if (watch.completions > 0) watch.itemsAfterCompleted += 1;
      if (!item.isDone) this.problems.push(`batch item ${show(item.uri)} reported while ${item.state}`);
      this.handle(item);
    });
    batch.completed.connect(() => {
      watch.completions += 1;
      if (!batch.isDone) this.problems.push("batch completed emitted before isDone");
    });
    return batch;
  }

  /** Call after every flush: checks progress bounds and that nothing moved backwards. */
  afterFlush(): void {
    // Children of a folder or manifest are only known once listed.
    for (const watch of this.batches.values()) for (const child of watch.batch.handles) this.handle(child);
    for (const watch of this.handles.values()) {
      const progress = watch.handle.progress;
      if (!(progress >= 0 && progress <= 1)) this.problem(watch.handle, `progress ${progress} outside [0, 1]`);
      if (progress < watch.lastProgress) this.problem(watch.handle, `progress went back from ${watch.lastProgress} to ${progress}`);
      watch.lastProgress = progress;
    }
    for (const watch of this.batches.values()) {
      const progress = watch.batch.progress;
      if (!(progress >= 0 && progress <= 1)) this.problems.push(`batch progress ${progress} outside [0, 1]`);
      if (progress < watch.lastProgress) this.problems.push(`batch progress went back from ${watch.lastProgress} to ${progress}`);
      watch.lastProgress = progress;
    }
  }

  /** Everything must be over: call after the last flush. Returns the problems found (also kept in `problems`). */
  checkAllEnded(): string[] {
    for (const watch of this.handles.values()) this.checkEnded(watch);
    for (const watch of this.batches.values()) this.checkBatchEnded(watch);
    const pending = this.server.pending();
    if (pending.length > 0) this.problems.push(`pending() still lists ${pending.length}: ${pending.slice(0, 3).map((load) => `${show(load.uri)} (${load.reason})`).join(", ")}`);
    return this.problems;
  }

  private checkEnded(watch: HandleWatch): void {
    const { handle } = watch;
    if (!handle.isDone) {
      this.problem(handle, `never ended (state ${handle.state})`);
      return;
    }
    if (watch.completions !== 1) this.problem(handle, `completed fired ${watch.completions} times`);
    if (handle.progress !== 1) this.problem(handle, `ended with progress ${handle.progress}`);
    if (handle.state === "loaded") {
      if (handle.error !== null) this.problem(handle, "loaded with an error");
      if (handle.servedFrom === null) this.problem(handle, "loaded without servedFrom");
      return;
    }
    const error = handle.error;
    if (!(error instanceof AssetError)) {
      this.problem(handle, `${handle.state} without an AssetError`);
      return;
    }
    if (!ERROR_CODES.includes(error.code)) this.problem(handle, `unknown error code ${String(error.code)}`);
    if ((handle.state === "cancelled") !== (error.code === "CANCELLED")) this.problem(handle, `state ${handle.state} with code ${error.code}`);
    if (typeof error.message !== "string" || error.message === "") this.problem(handle, "error without a message");
  }

  private checkBatchEnded(watch: BatchWatch): void {
    const { batch } = watch;
    if (!batch.isDone) {
      this.problems.push(`batch never ended (${batch.completedCount}/${batch.total})`);
      return;
    }
    if (watch.completions !== 1) this.problems.push(`batch completed fired ${watch.completions} times`);
    if (watch.itemsAfterCompleted > 0) this.problems.push(`${watch.itemsAfterCompleted} itemCompleted after the batch completed`);
    if (batch.progress !== 1) this.problems.push(`finished batch reads progress ${batch.progress}`);
    if (batch.completedCount !== batch.total) this.problems.push(`batch done with completedCount ${batch.completedCount} of ${batch.total}`);
    const children = batch.handles;
    const failed = children.filter((child) => child.state === "failed").length;
    const cancelled = children.filter((child) => child.state === "cancelled").length;
    if (batch.failedCount !== failed || batch.cancelledCount !== cancelled) {
      this.problems.push(`batch counts ${batch.failedCount} failed / ${batch.cancelledCount} cancelled, children say ${failed} / ${cancelled}`);
    }
    const reported = new Set(watch.items);
    if (watch.items.length !== reported.size) this.problems.push("itemCompleted reported a child twice");
    const missing = children.filter((child) => !reported.has(child));
    if (missing.length > 0) this.problems.push(`itemCompleted never reported ${missing.length} of ${children.length} children, e.g. ${show(missing[0]!.uri)} (${missing[0]!.state})`);
    for (const child of children) if (!this.handles.has(child)) this.problems.push(`child ${show(child.uri)} appeared after the last flush`);
  }

  private problem(handle: Handle, what: string): void {
    this.problems.push(`${show(handle.uri)}: ${what}`);
  }
}

function show(uri: string): string {
  const text = JSON.stringify(uri);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}
