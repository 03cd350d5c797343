import type { BatchAck, BatchCall, BatchCancel, BatchReply, BatchWakeMessage, HttpOutcome, ProgressReport, Result, RetryNotice } from "../kernel/protocol.js";
import { type LivenessEnd, type LivenessTimings, WorkerLiveness } from "./WorkerLiveness.js";

/** How one read of a batch ended, seen from the page. */
export type BatchCallEnd = { kind: "result"; result: Result<HttpOutcome> } | LivenessEnd;

export interface BatchEntry {
  call: BatchCall;
  onProgress(report: ProgressReport): void;
  onRetry(notice: RetryNotice): void;
  /** Called exactly once, unless the entry is cancelled first. */
  settle(end: BatchCallEnd): void;
}

/**
 * The page's side of ONE batch of HTTP reads: one wake message to the worker's global scope
 * carries them all and a fresh port, on which the worker answers. A read that the worker took
 * and never answered (it stopped) settles `lost`, at once, for the caller to send again.
 */
export class WorkerBatch {
  readonly #pending = new Map<number, BatchEntry>();
  readonly #liveness: WorkerLiveness;
  readonly #channel = new MessageChannel();
  #closed = false;

  constructor(entries: readonly BatchEntry[], timings: LivenessTimings, locks: LockManager | null) {
    for (const entry of entries) this.#pending.set(entry.call.id, entry);
    this.#liveness = new WorkerLiveness(timings, locks, (end) => this.#endAll(end));
  }

  /** Posts the batch to `worker` (which wakes it if it was stopped). */
  start(worker: ServiceWorker): void {
    const port = this.#channel.port1;
    port.onmessage = (event: MessageEvent) => this.#receive(event.data);
    const wake: BatchWakeMessage = {
      type: "simvx-assets:batch",
      port: this.#channel.port2,
      calls: [...this.#pending.values()].map((entry) => entry.call),
      heartbeat: this.#liveness.wantsHeartbeat,
    };
    try {
      worker.postMessage(wake, [this.#channel.port2]);
    } catch (error) {
      return this.#endAll({ kind: "unreachable", reason: `could not post to the service worker: ${String(error)}` });
    }
    this.#liveness.start();
  }

  /** The caller gave up on this read: it is aborted in the worker and never settles. */
  cancel(id: number): void {
    if (!this.#pending.delete(id) || this.#closed) return;
    const cancel: BatchCancel = { type: "simvx-assets:cancel", ids: [id] };
    this.#channel.port1.postMessage(cancel);
    if (this.#pending.size === 0) this.#close();
  }

  #receive(data: unknown): void {
    this.#liveness.heard(data);
    const reply = data as BatchReply | null;
    switch (reply?.type) {
      case "simvx-assets:answers":
        for (const answer of reply.answers) this.#settle(answer.id, { kind: "result", result: answer.result });
        break;
      case "simvx-assets:progress":
        this.#pending.get(reply.id)?.onProgress(reply.report);
        break;
      case "simvx-assets:retry":
        this.#pending.get(reply.id)?.onRetry(reply.notice);
        break;
      case "simvx-assets:end":
        this.#endAll({ kind: "lost", reason: "the service worker ended the batch without answering every read" });
        break;
      default:
        break;
    }
  }

  #settle(id: number, end: BatchCallEnd): void {
    const entry = this.#pending.get(id);
    if (!entry) return;
    this.#pending.delete(id);
    entry.settle(end);
    if (this.#pending.size === 0) this.#close();
  }

  #endAll(end: BatchCallEnd): void {
    const entries = [...this.#pending.values()];
    this.#pending.clear();
    this.#close();
    for (const entry of entries) entry.settle(end);
  }

  /**
   * Nothing more is wanted from the batch: stop watching the lock, then tell the worker, which
   * holds the lock until it hears this (a grant can then only mean a dead worker, even where the
   * port's messages arrive well behind the lock, as in WebKitGTK under load).
   */
  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#liveness.finish();
    const port = this.#channel.port1;
    const ack: BatchAck = { type: "simvx-assets:ack" };
    port.postMessage(ack);
    // Let the last messages go out before the port closes.
    setTimeout(() => port.close(), 0);
  }
}
