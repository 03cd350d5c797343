import * as Comlink from "comlink";
import type { AssetWorkerApi, ProgressMessage, ProgressReport, Result, WakeMessage } from "../protocol.js";

export interface WorkerCallTimings {
  /** Time the worker has to answer anything at all (it may have to start up and open IndexedDB). */
  firstAnswerTimeoutMs: number;
  /** Longest silence tolerated once the worker has answered. */
  heartbeatTimeoutMs: number;
  /** How often the page asks a busy worker whether it is still there. */
  pingIntervalMs: number;
  /**
   * When the first ping goes, unless the call is over by then: most calls (a small asset) are,
   * and a ping is a round trip that each of them would otherwise pay.
   */
  firstPingDelayMs: number;
  /** Upper bound for the whole call, however lively the worker is. */
  callTimeoutMs: number;
}

/** How one call ended, seen from the page. */
export type WorkerCallEnd<T> =
  | { kind: "result"; result: Result<T> }
  /** The worker stopped answering or its end of the port closed: worth one retry on a (re)started worker. */
  | { kind: "lost"; reason: string }
  | { kind: "timeout" }
  | { kind: "cancelled" };

export interface WorkerCallHooks {
  signal?: AbortSignal;
  /** The worker's progress reports for this call (`ProgressMessage`s on its port). */
  onProgress?: (report: ProgressReport) => void;
}

/**
 * Runs ONE call on a fresh port; `run` makes the call. The port is introduced to the worker with a message to its
 * global scope: such a message is an event, so it starts a stopped worker and the worker can keep
 * itself alive with `waitUntil` for the call. Messages on a transferred port are not events (a
 * worker that idles out while a page waits on one answers never), hence the heartbeat.
 */
export function runWorkerCall<T>(
  worker: ServiceWorker,
  timings: WorkerCallTimings,
  run: (api: Comlink.Remote<AssetWorkerApi>) => Promise<Result<T>>,
  hooks: WorkerCallHooks = {},
): Promise<WorkerCallEnd<T>> {
  if (hooks.signal?.aborted) return Promise.resolve({ kind: "cancelled" });
  const channel = new MessageChannel();
  const port = channel.port1;
  const wake: WakeMessage = { type: "simvx-assets:call", port: channel.port2 };
  const api = Comlink.wrap<AssetWorkerApi>(port);

  return new Promise<WorkerCallEnd<T>>((resolve) => {
    let settled = false;
    let answered = false;
    const startedAt = Date.now();
    /** When the ping now awaiting its answer was sent; null while none is outstanding. */
    let pingSentAt: number | null = null;

    const heard = (): void => {
      answered = true;
    };
    const finish = (end: WorkerCallEnd<T>): void => {
      if (settled) return;
      settled = true;
      // A worker that is merely slow must not go on working for a call the page gave up on
      // (a retry would then hit the origin twice).
      if (end.kind === "lost" || end.kind === "timeout") api.abort().catch(() => undefined);
      clearInterval(watchdog);
      clearTimeout(firstPing);
      hooks.signal?.removeEventListener("abort", onAbort);
      port.removeEventListener("close", onClose);
      port.removeEventListener("message", onMessage);
      // A worker that answered ends the call itself. Otherwise (cancel, timeout, lost) releasing
      // tells a live worker the call is over. comlink 4 never closes the page end of a released
      // proxy, so we do.
      if (end.kind !== "result") {
        try {
          api[Comlink.releaseProxy]();
        } catch {
          // Already released.
        }
      }
      port.close();
      resolve(end);
    };
    const onMessage = (event: MessageEvent): void => {
      const report = progressReportOf(event.data);
      if (report === null) return;
      heard();
      hooks.onProgress?.(report);
    };
    const onAbort = (): void => {
      // Sent on this call's own port, so it aborts exactly this call and nothing else in the worker.
      api.abort().catch(() => undefined);
      // Let the abort message go out before the port closes.
      setTimeout(() => finish({ kind: "cancelled" }), 0);
    };
    // Chromium fires `close` on a port whose other end went away (a terminated worker); elsewhere
    // the heartbeat alone notices.
    const onClose = (): void => finish({ kind: "lost", reason: "the worker's end of the call port closed" });

    // Silence is measured from an unanswered ping, not from the last answer: a hidden tab's timers
    // may fire only once a minute, and that alone must not look like a dead worker.
    const ping = (now: number): void => {
      pingSentAt = now;
      api.ping().then(
        () => {
          heard();
          pingSentAt = null;
        },
        () => undefined,
      );
    };
    const watchdog = setInterval(() => {
      const now = Date.now();
      if (now - startedAt > timings.callTimeoutMs) return finish({ kind: "timeout" });
      if (pingSentAt === null) return ping(now);
      const silence = now - pingSentAt;
      if (silence > (answered ? timings.heartbeatTimeoutMs : timings.firstAnswerTimeoutMs)) {
        finish({ kind: "lost", reason: `no answer from the worker for ${silence} ms` });
      }
    }, timings.pingIntervalMs);

    hooks.signal?.addEventListener("abort", onAbort, { once: true });
    port.addEventListener("close", onClose);
    port.addEventListener("message", onMessage);
    try {
      worker.postMessage(wake, [channel.port2]);
    } catch (error) {
      return finish({ kind: "lost", reason: `could not post to the worker: ${String(error)}` });
    }
    const call = run(api);
    // Its answer tells that the worker has started and taken the call, after which a short
    // silence already means it is gone (so does a progress report, which comes first for most loads).
    const firstPing = setTimeout(() => {
      if (!answered && pingSentAt === null) ping(Date.now());
    }, timings.firstPingDelayMs);
    call.then(
      (result) => {
        heard();
        finish({ kind: "result", result });
      },
      // comlink rejects when the worker threw or could not clone an answer: the worker is there
      // but this call cannot complete on it.
      (error: unknown) => finish({ kind: "lost", reason: `the call failed in transit: ${String(error)}` }),
    );
  });
}

/** The report a `ProgressMessage` carries, or null for any other message on a call's port (comlink's own). */
export function progressReportOf(data: unknown): ProgressReport | null {
  const message = data as Partial<ProgressMessage> | null;
  if (message?.type !== "simvx-assets:progress" || typeof message.report !== "object" || message.report === null) return null;
  return message.report;
}
