import * as Comlink from "comlink";
import type { AssetWorkerApi, Result, WakeMessage } from "../kernel/protocol.js";
import { type LivenessEnd, type LivenessTimings, WorkerLiveness } from "./WorkerLiveness.js";

/** How one control call ended, seen from the page. */
export type WorkerCallEnd<T> = { kind: "result"; result: Result<T> } | LivenessEnd | { kind: "cancelled" };

/**
 * Runs ONE control call (invalidate, clear, stats, ping) through comlink on a fresh port; `run`
 * makes the call. The port is introduced to the worker with a message to its global scope: such a
 * message is an event, so it starts a stopped worker, which keeps itself alive with `waitUntil`
 * for the call. Messages on a transferred port are not events, so a worker that stops while the
 * page waits on one would never answer: `WorkerLiveness` notices.
 */
export function runWorkerCall<T>(
  worker: ServiceWorker,
  timings: LivenessTimings,
  locks: LockManager | null,
  run: (api: Comlink.Remote<AssetWorkerApi>) => Promise<Result<T>>,
  signal?: AbortSignal,
): Promise<WorkerCallEnd<T>> {
  if (signal?.aborted) return Promise.resolve({ kind: "cancelled" });
  const channel = new MessageChannel();
  const port = channel.port1;
  const api = Comlink.wrap<AssetWorkerApi>(port);

  return new Promise<WorkerCallEnd<T>>((resolve) => {
    let settled = false;
    const finish = (end: WorkerCallEnd<T>): void => {
      if (settled) return;
      settled = true;
      liveness.finish();
      signal?.removeEventListener("abort", onAbort);
      port.removeEventListener("message", onMessage);
      // comlink 4 never closes the page end of a released proxy, so we do. A live worker that did
      // not answer learns through the release that the call is over.
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
    const liveness = new WorkerLiveness(timings, locks, finish);
    const onMessage = (event: MessageEvent): void => liveness.heard(event.data);
    const onAbort = (): void => finish({ kind: "cancelled" });

    signal?.addEventListener("abort", onAbort, { once: true });
    port.addEventListener("message", onMessage);
    const wake: WakeMessage = { type: "simvx-assets:call", port: channel.port2, heartbeat: liveness.wantsHeartbeat };
    try {
      worker.postMessage(wake, [channel.port2]);
    } catch (error) {
      return finish({ kind: "unreachable", reason: `could not post to the service worker: ${String(error)}` });
    }
    liveness.start();
    run(api).then(
      (result) => finish({ kind: "result", result }),
      // comlink rejects when the worker threw or could not clone an answer: the worker is there
      // but this call cannot complete on it.
      (error: unknown) => finish({ kind: "lost", reason: `the call failed in transit: ${String(error)}` }),
    );
  });
}
