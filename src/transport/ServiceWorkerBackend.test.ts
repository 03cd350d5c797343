import * as Comlink from "comlink";
import { describe, expect, it } from "vitest";
import { AssetError } from "../core/AssetError.js";
import type { AssetWorkerApi, HttpOutcome, HttpRequest, ProgressMessage, Result, WakeMessage } from "../protocol.js";
import { ServiceWorkerBackend } from "./ServiceWorkerBackend.js";

// A stand-in for the browser's ServiceWorker objects, over Node's real MessageChannel: each wake
// message goes to `onWake`, which plays the worker (answers, dies, or never starts).
type OnWake = (port: MessagePort, attempt: number) => void;

function fakeContainer(onWake: OnWake): ServiceWorkerContainer {
  let attempt = 0;
  const worker = {
    state: "activated",
    postMessage(message: WakeMessage) {
      onWake(message.port, attempt++);
    },
  };
  const container = new EventTarget() as EventTarget & { ready: Promise<unknown>; controller: unknown };
  container.ready = Promise.resolve({ active: worker });
  container.controller = worker;
  return container as unknown as ServiceWorkerContainer;
}

/** A worker that answers every call with `answer` (never, if it returns null), reporting one progress step first. */
function answeringWorker(answer: (request: HttpRequest) => Result<HttpOutcome> | null, seen: { aborts: number } = { aborts: 0 }): (port: MessagePort) => void {
  return (port) => {
    const api: AssetWorkerApi = {
      async fetch(request) {
        const progress: ProgressMessage = { type: "simvx-assets:progress", report: { loaded: 1, total: 2 } };
        port.postMessage(progress);
        const result = answer(request);
        return result ?? new Promise<never>(() => undefined);
      },
      abort() {
        seen.aborts += 1;
      },
      invalidate: async () => ({ ok: true, value: undefined }),
      clear: async () => ({ ok: true, value: undefined }),
      stats: async () => ({ ok: true, value: { entries: 1, bytes: 2, budgetBytes: 3 } }),
      ping: async () => ({ ok: true, value: { version: "test" } }),
    };
    Comlink.expose(api, port);
  };
}

const QUICK = { pingIntervalMs: 20, firstPingDelayMs: 5, heartbeatTimeoutMs: 150, firstAnswerTimeoutMs: 150, workerWaitMs: 1_000 };
const request: HttpRequest = { url: "https://assets.test/a.bin", knownVersion: null, cache: true, revalidate: "conditional-get" };
const bytesAnswer = (): Result<HttpOutcome> => ({ ok: true, value: { kind: "bytes", bytes: Uint8Array.of(7, 8), version: '"v1"', servedFrom: "network" } });

function context(signal = new AbortController().signal) {
  const progress: number[] = [];
  return { progress, ctx: { signal, onProgress: (loaded: number) => void progress.push(loaded) } };
}

describe("ServiceWorkerBackend", () => {
  it("delivers the worker's bytes and its progress reports", async () => {
    const backend = new ServiceWorkerBackend({ ...QUICK, container: fakeContainer(answeringWorker(bytesAnswer)) });
    const { progress, ctx } = context();
    const outcome = await backend.fetch(request, ctx);
    expect(outcome).toEqual({ kind: "bytes", bytes: Uint8Array.of(7, 8), version: '"v1"', servedFrom: "network" });
    expect(progress).toEqual([1]);
    expect(await backend.stats()).toEqual({ entries: 1, bytes: 2, budgetBytes: 3 });
  });

  it("turns an error answered by the worker into the same AssetError", async () => {
    const notFound = (): Result<HttpOutcome> => ({ ok: false, error: { code: "NOT_FOUND", message: "not found: x", uri: request.url, status: 404 } });
    const backend = new ServiceWorkerBackend({ ...QUICK, container: fakeContainer(answeringWorker(notFound)) });
    const error = await backend.fetch(request, context().ctx).catch((e: unknown) => e);
    expect(AssetError.is(error)).toBe(true);
    expect(error).toMatchObject({ code: "NOT_FOUND", status: 404, uri: request.url });
  });

  it("retries a call cut off by a stopped worker once, on the restarted worker", async () => {
    const answer = answeringWorker(bytesAnswer);
    // The first wake reaches a worker that dies before answering anything.
    const backend = new ServiceWorkerBackend({ ...QUICK, container: fakeContainer((port, attempt) => (attempt === 0 ? undefined : answer(port))) });
    const outcome = await backend.fetch(request, context().ctx);
    expect(outcome.kind).toBe("bytes");
  });

  it("fails with WORKER_LOST when the retry is cut off too", async () => {
    let wakes = 0;
    const backend = new ServiceWorkerBackend({ ...QUICK, container: fakeContainer(() => void wakes++) });
    const error = await backend.fetch(request, context().ctx).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "AssetError", code: "WORKER_LOST", uri: request.url });
    expect(wakes).toBe(2);
  });

  it("cancelling sends abort on the call's own port and rejects with CANCELLED", async () => {
    const seen = { aborts: 0 };
    let answered: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (answered = resolve));
    const backend = new ServiceWorkerBackend({ ...QUICK, container: fakeContainer(answeringWorker(() => null, seen)) });
    const controller = new AbortController();
    const { ctx } = context(controller.signal);
    // A progress report means the load is in flight in the worker, which never finishes it alone.
    const loading = backend.fetch(request, { ...ctx, onProgress: () => (answered(), undefined) });
    await held;
    controller.abort();
    await expect(loading).rejects.toMatchObject({ code: "CANCELLED" });
    await expect.poll(() => seen.aborts).toBe(1);
  });

  it("fails with WORKER_LOST where there is no service worker support", async () => {
    const backend = new ServiceWorkerBackend({ ...QUICK, container: null });
    await expect(backend.fetch(request, context().ctx)).rejects.toMatchObject({ code: "WORKER_LOST" });
  });
});
