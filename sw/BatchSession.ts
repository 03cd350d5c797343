import type { FetchEngine } from "../src/engine/FetchEngine.js";
import type { BatchCall, BatchPageMessage, BatchReply, HttpOutcome, Result, WireError } from "../src/kernel/protocol.js";
import { runAsCall, type ReplyPort, type RunAsCallOptions } from "./runAsCall.js";

export interface BatchSessionOptions extends RunAsCallOptions {
  /** Upper bound for how long the batch may keep the worker alive; reads still running then answer TIMEOUT. */
  maxCallMs: number;
  /** After `end`, how long the lock is kept for the page's acknowledgement (a page that has gone sends none). */
  ackWaitMs?: number;
}

const DEFAULT_ACK_WAIT_MS = 1_000;
/** Longest an answer waits for others to go with it (they go together at the end of the task they came in). */
const MAX_ANSWER_WAIT_MS = 8;

interface Answer {
  id: number;
  result: Result<HttpOutcome>;
}

/**
 * The worker's side of ONE batch of HTTP reads (every read the page issued within one task). The
 * reads go to the engine at once, highest priority first, and the browser queues them per host as
 * it would for the page's own `fetch`es. Answers that are ready within one worker task go back in
 * one message, their bytes transferred; cancels arrive on the batch's port.
 */
export class BatchSession {
  readonly #engine: () => FetchEngine;
  readonly #port: ReplyPort;
  readonly #calls: BatchCall[];
  readonly #options: BatchSessionOptions;
  readonly #aborts = new Map<number, AbortController>();
  readonly #cancelled = new Set<number>();
  #answers: Answer[] = [];
  #transfer = new Set<ArrayBuffer>();
  #flushTimer: ReturnType<typeof setTimeout> | undefined;
  #firstWaitingAt = 0;
  #expired = false;
  #acknowledge = (): void => undefined;
  readonly #acknowledged = new Promise<void>((resolve) => (this.#acknowledge = resolve));

  constructor(engine: () => FetchEngine, port: ReplyPort, calls: readonly unknown[], options: BatchSessionOptions) {
    this.#engine = engine;
    this.#port = port;
    this.#calls = calls.filter(isBatchCall);
    this.#options = options;
  }

  /** Settles once every read has been answered (or given up) and the page was told so. */
  run(): Promise<void> {
    return runAsCall(this.#port, this.#options, async () => {
      const limit = setTimeout(() => this.#expire(), this.#options.maxCallMs);
      try {
        // Array.sort is stable: equal priorities keep the page's order.
        const ordered = [...this.#calls].sort((a, b) => priorityOf(b) - priorityOf(a));
        await Promise.all(ordered.map((call) => this.#read(call)));
      } finally {
        clearTimeout(limit);
        this.#flushAnswers();
        this.#post({ type: "simvx-assets:end" });
        // The lock is released only once the page has heard everything (see `BatchAck`).
        let timer: ReturnType<typeof setTimeout> | undefined;
        await Promise.race([this.#acknowledged, new Promise<void>((resolve) => (timer = setTimeout(resolve, this.#options.ackWaitMs ?? DEFAULT_ACK_WAIT_MS)))]);
        clearTimeout(timer);
      }
    });
  }

  /** A message from the page on the batch's port: a cancel or the acknowledgement; anything else is ignored. */
  receive(data: unknown): void {
    const message = data as Partial<BatchPageMessage> | null;
    if (message?.type === "simvx-assets:cancel") this.cancel(message.ids);
    else if (message?.type === "simvx-assets:ack") this.#acknowledge();
  }

  /** The page no longer wants these reads: they are aborted at the network and not answered. */
  cancel(ids: unknown): void {
    if (!Array.isArray(ids)) return;
    for (const id of ids) {
      if (typeof id !== "number") continue;
      this.#cancelled.add(id);
      this.#aborts.get(id)?.abort();
    }
  }

  async #read(call: BatchCall): Promise<void> {
    const controller = new AbortController();
    this.#aborts.set(call.id, controller);
    let result: Result<HttpOutcome>;
    try {
      // The engine paces progress (the worker builds it with `WORKER_PROGRESS_PACING`): every report goes.
      result = await this.#engine().request(call.request, {
        signal: controller.signal,
        onProgress: (loaded, total) => this.#post({ type: "simvx-assets:progress", id: call.id, report: { loaded, total } }),
        onRetry: (notice) => this.#post({ type: "simvx-assets:retry", id: call.id, notice }),
      });
    } catch (error) {
      // The engine answers with data; a throw here is the worker's own failure (opening
      // IndexedDB, say), and still goes back as data: a thrown value would look like a dead worker.
      result = { ok: false, error: failed(call, "NETWORK", `the asset worker failed: ${String(error)}`) };
    } finally {
      this.#aborts.delete(call.id);
    }
    if (this.#cancelled.has(call.id)) return;
    if (this.#expired && !result.ok && result.error.code === "CANCELLED") {
      result = { ok: false, error: failed(call, "TIMEOUT", `the worker's limit of ${this.#options.maxCallMs} ms for one batch ran out`) };
    }
    this.#answer({ id: call.id, result });
  }

  #answer(answer: Answer): void {
    this.#answers.push(answer);
    // The engine never shares one caller's bytes with another, so they can move to the page.
    if (answer.result.ok && "bytes" in answer.result.value) {
      const { buffer } = answer.result.value.bytes;
      if (buffer instanceof ArrayBuffer) this.#transfer.add(buffer);
    }
    if (this.#flushTimer === undefined) {
      this.#firstWaitingAt = performance.now();
      this.#flushTimer = setTimeout(() => this.#flushAnswers(), 0);
    } else if (performance.now() - this.#firstWaitingAt >= MAX_ANSWER_WAIT_MS) {
      // While a pack's body streams in, its chunks and hashes keep the worker's thread busy, and
      // Chromium ran the timer only once the download had ended (41 ms late for the first files).
      this.#flushAnswers();
    }
  }

  #flushAnswers(): void {
    clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    if (this.#answers.length === 0) return;
    const answers = this.#answers;
    const transfer = [...this.#transfer];
    this.#answers = [];
    this.#transfer = new Set();
    this.#post({ type: "simvx-assets:answers", answers }, transfer);
  }

  #expire(): void {
    this.#expired = true;
    for (const controller of this.#aborts.values()) controller.abort();
  }

  #post(message: BatchReply, transfer: Transferable[] = []): void {
    try {
      this.#port.postMessage(message, transfer);
    } catch {
      // A closed port: the page has gone; the reads still finish and store what they fetched.
    }
  }
}

function isBatchCall(value: unknown): value is BatchCall {
  const call = value as Partial<BatchCall> | null;
  return typeof call === "object" && call !== null && typeof call.id === "number" && Number.isFinite(call.id);
}

function priorityOf(call: BatchCall): number {
  const priority = (call.request as { priority?: unknown } | null)?.priority;
  return typeof priority === "number" && Number.isFinite(priority) ? priority : 0;
}

function failed(call: BatchCall, code: WireError["code"], message: string): WireError {
  const url = (call.request as { url?: unknown } | null)?.url;
  return { code, message, uri: typeof url === "string" ? url : "" };
}
