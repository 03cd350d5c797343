import * as Comlink from "comlink";
import { describe, expect, it } from "vitest";
import { BatchSession } from "../../sw/BatchSession.js";
import { CallSession } from "../../sw/CallSession.js";
import { WORKER_PROGRESS_PACING } from "../../sw/workerProgressPacing.js";
import { runAsCall } from "../../sw/runAsCall.js";
import { AssetError } from "../kernel/AssetError.js";
import type { EngineCallContext, FetchEngine } from "../engine/FetchEngine.js";
import type { BatchWakeMessage, HttpOutcome, HttpRequest, Result, WakeMessage } from "../kernel/protocol.js";
import { ServiceWorkerBackend, type ServiceWorkerBackendOptions } from "./ServiceWorkerBackend.js";
import { MemoryLockManager } from "../../test/support/transport/MemoryLockManager.js";

/** A read the fake engine holds until the test answers it. */
interface HeldRead {
  request: HttpRequest;
  ctx: EngineCallContext;
  answer(result: Result<HttpOutcome>): void;
}

/**
 * Plays the service worker with the real worker-side sessions over Node's MessageChannel and an
 * in-memory Web Locks manager shared with the page. `stop()` is a worker stop: its locks are
 * released, its ports close, its reads are never answered; the next message starts a new one.
 */
class FakeWorkerHost {
  readonly locks = new MemoryLockManager();
  readonly held: HeldRead[] = [];
  wakes = 0;
  generation = 0;
  /** False: the worker never takes a call (it cannot start). */
  accepts = true;
  /** How late the worker's messages on a batch's port arrive (behind the lock, as in WebKitGTK under load). */
  replyDelayMs = 0;
  #ports: MessagePort[] = [];
  readonly #engine = {
    request: (request: HttpRequest, ctx: EngineCallContext) =>
      new Promise<Result<HttpOutcome>>((answer) => {
        this.held.push({ request, ctx, answer });
      }),
    invalidate: async () => ({ ok: true, value: undefined }),
    clear: async () => ({ ok: true, value: undefined }),
    stats: async () => ({ ok: true, value: { entries: 1, bytes: 2, budgetBytes: 3 } }),
  } as unknown as FetchEngine;

  readonly container: ServiceWorkerContainer;

  constructor() {
    const worker = { state: "activated", postMessage: (message: WakeMessage | BatchWakeMessage) => this.#wake(message) };
    const container = new EventTarget() as EventTarget & { ready: Promise<unknown>; controller: unknown };
    container.ready = Promise.resolve({ active: worker });
    container.controller = worker;
    this.container = container as unknown as ServiceWorkerContainer;
  }

  stop(): void {
    this.locks.drop(`worker-${this.generation}`);
    for (const port of this.#ports) port.close();
    this.#ports = [];
    this.generation += 1;
  }

  /** Reads of `url` the current worker holds, oldest first. */
  readsOf(url: string): HeldRead[] {
    return this.held.filter((read) => read.request.url === url);
  }

  #wake(message: WakeMessage | BatchWakeMessage): void {
    this.wakes += 1;
    if (!this.accepts) return;
    const { port } = message;
    this.#ports.push(port);
    const locks = this.locks.forOwner(`worker-${this.generation}`);
    if (message.type === "simvx-assets:batch") {
      const delay = this.replyDelayMs;
      const replies = delay === 0 ? port : { postMessage: (reply: unknown, transfer: Transferable[] = []) => void setTimeout(() => port.postMessage(reply, transfer), delay) };
      const session = new BatchSession(() => this.#engine, replies, message.calls, { locks, heartbeat: message.heartbeat, maxCallMs: 60_000 });
      port.addEventListener("message", (event: MessageEvent) => session.receive(event.data));
      port.start();
      void session.run();
      return;
    }
    const session = new CallSession(() => this.#engine, "test");
    Comlink.expose(session, port);
    void runAsCall(port, { locks, heartbeat: message.heartbeat === true }, () => session.done);
  }
}

const URL_A = "https://assets.test/a.bin";
const request = (url = URL_A): HttpRequest => ({ url, knownVersion: null, cache: true, revalidate: "conditional-get" });
const bytes = (...values: number[]): Result<HttpOutcome> => ({ ok: true, value: { bytes: Uint8Array.from(values), version: '"v1"', servedFrom: "network" } });
// The heartbeat is far too slow to matter in these tests: a loss must be noticed by the lock.
const QUICK: ServiceWorkerBackendOptions = { acceptTimeoutMs: 500, heartbeatTimeoutMs: 60_000, lossGraceMs: 10, workerWaitMs: 1_000 };

function backendOn(host: FakeWorkerHost, options: ServiceWorkerBackendOptions = {}): ServiceWorkerBackend {
  return new ServiceWorkerBackend({ ...QUICK, container: host.container, locks: host.locks.forOwner("page"), ...options });
}

function context(signal = new AbortController().signal) {
  const progress: number[] = [];
  return { progress, ctx: { signal, onProgress: (loaded: number) => void progress.push(loaded) } };
}

describe("ServiceWorkerBackend", () => {
  it("sends every read issued within one task in one wake message and delivers each answer", async () => {
    const host = new FakeWorkerHost();
    const backend = backendOn(host);
    const urls = Array.from({ length: 50 }, (_, i) => `https://assets.test/${i}.bin`);
    const loads = urls.map((url) => backend.fetch(request(url), context().ctx));
    await expect.poll(() => host.held.length).toBe(50);
    expect(host.wakes).toBe(1);
    host.held.forEach((read, i) => read.answer(bytes(i)));
    const outcomes = await Promise.all(loads);
    expect(outcomes.map((outcome) => ("bytes" in outcome ? outcome.bytes[0] : -1))).toEqual(urls.map((_, i) => i));
  });

  it("passes on progress of a large body and the worker's control answers", async () => {
    const host = new FakeWorkerHost();
    const backend = backendOn(host);
    const { progress, ctx } = context();
    const loading = backend.fetch(request(), ctx);
    await expect.poll(() => host.held.length).toBe(1);
    host.held[0]!.ctx.onProgress(WORKER_PROGRESS_PACING.minBytes, WORKER_PROGRESS_PACING.minBytes * 2);
    await expect.poll(() => progress).toEqual([WORKER_PROGRESS_PACING.minBytes]);
    host.held[0]!.answer(bytes(7, 8));
    expect(await loading).toMatchObject({ bytes: Uint8Array.of(7, 8) });
    expect(await backend.stats()).toEqual({ entries: 1, bytes: 2, budgetBytes: 3 });
  });

  it("turns an error answered by the worker into the same AssetError", async () => {
    const host = new FakeWorkerHost();
    const backend = backendOn(host);
    const loading = backend.fetch(request(), context().ctx).catch((e: unknown) => e);
    await expect.poll(() => host.held.length).toBe(1);
    host.held[0]!.answer({ ok: false, error: { code: "NOT_FOUND", message: "not found: x", uri: URL_A, status: 404 } });
    const error = await loading;
    expect(AssetError.is(error)).toBe(true);
    expect(error).toMatchObject({ code: "NOT_FOUND", status: 404, uri: URL_A });
  });

  it("a read cut off by the worker stopping three times is sent again each time, to the worker that runs then", async () => {
    const host = new FakeWorkerHost();
    const backend = backendOn(host);
    const loading = backend.fetch(request(), context().ctx);
    for (let stop = 1; stop <= 3; stop += 1) {
      await expect.poll(() => host.readsOf(URL_A).length).toBe(stop);
      host.stop();
    }
    await expect.poll(() => host.readsOf(URL_A).length).toBe(4);
    host.readsOf(URL_A)[3]!.answer(bytes(1));
    expect(await loading).toHaveProperty("bytes");
    expect(host.wakes).toBe(4);
  });

  it("an answered read is not sent again when the port's messages arrive long after the worker's lock could be granted", async () => {
    const host = new FakeWorkerHost();
    host.replyDelayMs = 100;
    const backend = backendOn(host);
    const load = backend.fetch(request(), context().ctx);
    await expect.poll(() => host.held.length).toBe(1);
    host.held[0]!.answer(bytes(7));
    const outcome = await load;
    expect("bytes" in outcome ? outcome.bytes[0] : -1).toBe(7);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(host.wakes).toBe(1);
  });

  it("without Web Locks, a stop is noticed by the heartbeat and the read is sent again", async () => {
    const host = new FakeWorkerHost();
    const backend = backendOn(host, { locks: null, heartbeatTimeoutMs: 300 });
    const loading = backend.fetch(request(), context().ctx);
    await expect.poll(() => host.readsOf(URL_A).length).toBe(1);
    host.stop();
    await expect.poll(() => host.readsOf(URL_A).length, { timeout: 3_000 }).toBe(2);
    host.readsOf(URL_A)[1]!.answer(bytes(2));
    expect(await loading).toHaveProperty("bytes");
  });

  it("a read whose load gives up (its signal aborts) while the worker is down is not sent again", async () => {
    const host = new FakeWorkerHost();
    const backend = backendOn(host);
    const controller = new AbortController();
    const loading = backend.fetch(request(), context(controller.signal).ctx);
    await expect.poll(() => host.readsOf(URL_A).length).toBe(1);
    host.accepts = false;
    host.stop();
    await expect.poll(() => host.wakes).toBe(2);
    controller.abort();
    await expect(loading).rejects.toMatchObject({ code: "CANCELLED" });
  });

  it("fails with WORKER_LOST when no worker takes the batch at all", async () => {
    const host = new FakeWorkerHost();
    host.accepts = false;
    const backend = backendOn(host, { acceptTimeoutMs: 100 });
    await expect(backend.fetch(request(), context().ctx)).rejects.toMatchObject({ name: "AssetError", code: "WORKER_LOST", uri: URL_A });
    expect(host.wakes).toBe(1);
  });

  it("cancelling aborts the read in the worker and rejects with CANCELLED; its batch-mates load", async () => {
    const host = new FakeWorkerHost();
    const backend = backendOn(host);
    const controller = new AbortController();
    const cancelled = backend.fetch(request(), context(controller.signal).ctx);
    const other = backend.fetch(request("https://assets.test/b.bin"), context().ctx);
    await expect.poll(() => host.held.length).toBe(2);
    controller.abort();
    await expect(cancelled).rejects.toMatchObject({ code: "CANCELLED" });
    await expect.poll(() => host.readsOf(URL_A)[0]!.ctx.signal.aborted).toBe(true);
    host.readsOf("https://assets.test/b.bin")[0]!.answer(bytes(3));
    expect(await other).toHaveProperty("bytes");
  });

  it("a control call cut off by a stop is sent again", async () => {
    const host = new FakeWorkerHost();
    const backend = backendOn(host);
    host.accepts = true;
    // The first worker takes the call and dies before answering it.
    const original = host.container.ready;
    let first = true;
    const worker = (await original).active!;
    const post = worker.postMessage.bind(worker);
    worker.postMessage = (message: WakeMessage) => {
      if (!first) return post(message);
      first = false;
      const { port } = message;
      void runAsCall(port, { locks: host.locks.forOwner("doomed"), heartbeat: false }, () => new Promise<void>(() => undefined));
      setTimeout(() => host.locks.drop("doomed"), 20);
    };
    expect(await backend.stats()).toEqual({ entries: 1, bytes: 2, budgetBytes: 3 });
    expect(first).toBe(false);
  });

  it("fails with WORKER_LOST where there is no service worker support", async () => {
    const backend = new ServiceWorkerBackend({ ...QUICK, container: null });
    await expect(backend.fetch(request(), context().ctx)).rejects.toMatchObject({ code: "WORKER_LOST" });
  });

  it("dispose rejects the reads in flight with CANCELLED", async () => {
    const host = new FakeWorkerHost();
    const backend = backendOn(host);
    const loading = backend.fetch(request(), context().ctx);
    await expect.poll(() => host.held.length).toBe(1);
    backend.dispose();
    await expect(loading).rejects.toMatchObject({ code: "CANCELLED" });
    await expect(backend.fetch(request(), context().ctx)).rejects.toMatchObject({ code: "CANCELLED" });
  });
});
