import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EngineCallContext } from "../src/engine/FetchEngine.js";
import { FetchEngine } from "../src/engine/FetchEngine.js";
import { MemoryStore } from "../src/engine/MemoryStore.js";
import { startTestOrigin, type TestOrigin } from "../test/support/engine/testOrigin.js";
import type { BatchCall, BatchReply, HttpOutcome, HttpRequest, Result } from "../src/kernel/protocol.js";
import { MemoryLockManager } from "../test/support/transport/MemoryLockManager.js";
import { BatchSession, type BatchSessionOptions } from "./BatchSession.js";
import { WORKER_PROGRESS_PACING } from "./workerProgressPacing.js";

// The worker's half of one batch, over Node's real MessageChannel and a real HTTP origin.
let origin: TestOrigin;
beforeAll(async () => {
  origin = await startTestOrigin();
});
afterAll(() => origin.close());

const requestFor = (path: string, extra: Partial<HttpRequest> = {}): HttpRequest => ({ url: `${origin.url}${path}`, knownVersion: null, cache: true, revalidate: "conditional-get", ...extra });
const OPTIONS: BatchSessionOptions = { locks: null, heartbeat: false, maxCallMs: 60_000 };

/**
 * Runs a batch; `replies` collects what the page receives on the batch's port. Like a page, the
 * harness acknowledges `end` (unless `acknowledge` is false); the session hears the page's messages.
 */
function open(engine: () => FetchEngine, calls: readonly unknown[], options: Partial<BatchSessionOptions> = {}, acknowledge = true) {
  const { port1, port2 } = new MessageChannel();
  const replies: BatchReply[] = [];
  port1.addEventListener("message", (event: MessageEvent<BatchReply>) => {
    replies.push(event.data);
    if (acknowledge && event.data.type === "simvx-assets:end") port1.postMessage({ type: "simvx-assets:ack" });
  });
  port1.start();
  const session = new BatchSession(engine, port2, calls, { ...OPTIONS, ...options });
  port2.addEventListener("message", (event: MessageEvent) => session.receive(event.data));
  port2.start();
  const ran = session.run();
  // Over once the page has received `end` (the port delivers after `run` settles).
  const finished = (): Promise<void> => ran.then(() => expect.poll(() => replies.at(-1)?.type).toBe("simvx-assets:end"));
  const answers = (): Map<number, Result<HttpOutcome>> =>
    new Map(replies.flatMap((reply) => (reply.type === "simvx-assets:answers" ? reply.answers.map((answer) => [answer.id, answer.result] as const) : [])));
  const close = (): void => (port1.close(), port2.close());
  return { session, finished, replies, answers, close };
}

describe("BatchSession", () => {
  it("answers every read of a batch, several per message, with the bytes, then says the batch ended", async () => {
    const paths = Array.from({ length: 20 }, (_, i) => `/batch/a${i}.txt`);
    for (const path of paths) origin.setAsset(path, `body of ${path}`);
    const engine = new FetchEngine({ store: new MemoryStore(), progress: WORKER_PROGRESS_PACING });
    const calls: BatchCall[] = paths.map((path, i) => ({ id: i + 1, request: requestFor(path) }));
    const { finished, replies, answers, close } = open(() => engine, calls);
    await finished();
    expect(replies[0]).toEqual({ type: "simvx-assets:accepted", lock: null });
    for (const [i, path] of paths.entries()) {
      const answer = answers().get(i + 1);
      expect(answer).toMatchObject({ ok: true, value: { servedFrom: "network" } });
      expect(new TextDecoder().decode(answer?.ok && "bytes" in answer.value ? answer.value.bytes : undefined)).toBe(`body of ${path}`);
    }
    const answerMessages = replies.filter((reply) => reply.type === "simvx-assets:answers").length;
    expect(answerMessages).toBeLessThan(paths.length);
    // Small bodies: the answer says all a progress report would.
    expect(replies.filter((reply) => reply.type === "simvx-assets:progress")).toEqual([]);
    close();
  });

  it("holds a Web Lock named in `accepted` for exactly as long as the batch runs", async () => {
    origin.setAsset("/batch/locked.txt", "locked");
    origin.fault("/batch/locked.txt", { kind: "hold", times: 1 });
    const locks = new MemoryLockManager();
    const engine = new FetchEngine({ store: new MemoryStore(), progress: WORKER_PROGRESS_PACING });
    const { finished, replies, close } = open(() => engine, [{ id: 1, request: requestFor("/batch/locked.txt") }], { locks: locks.forOwner("worker") });
    await expect.poll(() => replies[0]?.type).toBe("simvx-assets:accepted");
    const accepted = replies[0] as Extract<BatchReply, { type: "simvx-assets:accepted" }>;
    expect(accepted.lock).toMatch(/^simvx-assets:call:/);
    await origin.waitForRequests("/batch/locked.txt", 1);
    expect(locks.isHeld(accepted.lock!)).toBe(true);
    origin.release();
    await finished();
    expect(locks.isHeld(accepted.lock!)).toBe(false);
    // No ticks: the page waits on the lock.
    expect(replies.some((reply) => reply.type === "simvx-assets:alive")).toBe(false);
    close();
  });

  it("keeps the batch's lock after `end` until the page acknowledges it, so a lock the page is granted means a dead worker", async () => {
    origin.setAsset("/batch/ack.txt", "acknowledged");
    const locks = new MemoryLockManager();
    const engine = new FetchEngine({ store: new MemoryStore(), progress: WORKER_PROGRESS_PACING });
    const { session, replies, close } = open(() => engine, [{ id: 1, request: requestFor("/batch/ack.txt") }], { locks: locks.forOwner("worker"), ackWaitMs: 60_000 }, false);
    await expect.poll(() => replies.at(-1)?.type).toBe("simvx-assets:end");
    const lock = (replies[0] as Extract<BatchReply, { type: "simvx-assets:accepted" }>).lock!;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(locks.isHeld(lock)).toBe(true);
    session.receive({ type: "simvx-assets:ack" });
    await expect.poll(() => locks.isHeld(lock)).toBe(false);
    close();
  });

  it("releases the lock after `ackWaitMs` when no acknowledgement comes (the page has gone)", async () => {
    origin.setAsset("/batch/no-ack.txt", "nobody listens");
    const locks = new MemoryLockManager();
    const engine = new FetchEngine({ store: new MemoryStore(), progress: WORKER_PROGRESS_PACING });
    const { finished, replies, close } = open(() => engine, [{ id: 1, request: requestFor("/batch/no-ack.txt") }], { locks: locks.forOwner("worker"), ackWaitMs: 50 }, false);
    await finished();
    expect(locks.isHeld((replies[0] as Extract<BatchReply, { type: "simvx-assets:accepted" }>).lock!)).toBe(false);
    close();
  });

  it("sends the reads to the network highest priority first, each with the browser's priority hint", async () => {
    const seen: Array<{ url: string; priority: RequestPriority | undefined }> = [];
    const fetchSpy: typeof fetch = (input, init) => {
      seen.push({ url: String(input), priority: init?.priority });
      return globalThis.fetch(input, init);
    };
    for (const name of ["low", "normal", "high"]) origin.setAsset(`/batch/prio-${name}.txt`, name);
    const engine = new FetchEngine({ store: new MemoryStore(), fetch: fetchSpy, progress: WORKER_PROGRESS_PACING });
    const calls: BatchCall[] = [
      { id: 1, request: requestFor("/batch/prio-low.txt", { priority: -5 }) },
      { id: 2, request: requestFor("/batch/prio-normal.txt") },
      { id: 3, request: requestFor("/batch/prio-high.txt", { priority: 10 }) },
    ];
    const { finished, close } = open(() => engine, calls);
    await finished();
    expect(seen).toEqual([
      { url: `${origin.url}/batch/prio-high.txt`, priority: "high" },
      { url: `${origin.url}/batch/prio-normal.txt`, priority: undefined },
      { url: `${origin.url}/batch/prio-low.txt`, priority: "low" },
    ]);
    close();
  });

  it("a cancel aborts that read at the origin and it is not answered; the others are", async () => {
    origin.setAsset("/batch/stalled.bin", new Uint8Array(4096));
    origin.fault("/batch/stalled.bin", { kind: "stall", sendBytes: 16 });
    origin.setAsset("/batch/fine.txt", "fine");
    const aborts = origin.counts.clientAborts;
    const engine = new FetchEngine({ store: new MemoryStore(), progress: WORKER_PROGRESS_PACING });
    const { session, finished, answers, close } = open(() => engine, [
      { id: 1, request: requestFor("/batch/stalled.bin") },
      { id: 2, request: requestFor("/batch/fine.txt") },
    ]);
    await origin.waitForRequests("/batch/stalled.bin", 1);
    await expect.poll(() => answers().has(2)).toBe(true);
    session.cancel([1, "junk"]);
    session.cancel("not a list");
    await finished();
    await origin.waitForClientAborts(aborts + 1);
    expect([...answers().keys()]).toEqual([2]);
    origin.clearFaults();
    close();
  });

  it("a large body reports progress while it downloads; a small one never does", async () => {
    origin.setAsset("/batch/large.bin", new Uint8Array(512 * 1024));
    origin.fault("/batch/large.bin", { kind: "stall", sendBytes: 64 * 1024, times: 1 });
    origin.setAsset("/batch/small.bin", new Uint8Array(1024));
    const engine = new FetchEngine({ store: new MemoryStore(), progress: WORKER_PROGRESS_PACING });
    const { session, finished, replies, close } = open(() => engine, [
      { id: 1, request: requestFor("/batch/large.bin") },
      { id: 2, request: requestFor("/batch/small.bin") },
    ]);
    // The transfer stalls after 64 KiB; the report held back at the stall still goes.
    // (The engine's own throttle may keep back a last chunk under 1% of the total.)
    const lastReport = () => replies.filter((reply) => reply.type === "simvx-assets:progress").at(-1);
    await expect.poll(() => lastReport()?.type === "simvx-assets:progress" && lastReport()).toMatchObject({ id: 1, report: { total: 512 * 1024 } });
    await expect.poll(() => (lastReport() as { report: { loaded: number } }).report.loaded).toBeGreaterThanOrEqual(64 * 1024 - (512 * 1024) / 100);
    expect((lastReport() as { report: { loaded: number } }).report.loaded).toBeLessThanOrEqual(64 * 1024);
    session.cancel([1]);
    await finished();
    expect(replies.filter((reply) => reply.type === "simvx-assets:progress").every((reply) => reply.id === 1)).toBe(true);
    close();
  });

  it("sends the answers waiting once the first has waited 8 ms, when the worker's thread is too busy for a timer", async () => {
    // Each answer costs 3 ms of the thread and all come in one task (a pack's files cut as it
    // streams in, each hashed): without a bound they would all wait for that task to end.
    let turn = Promise.resolve();
    const busy = {
      async request(): Promise<Result<HttpOutcome>> {
        // One after another, all in microtasks: no task ends in between.
        const mine = turn.then(() => {
          const until = performance.now() + 3;
          while (performance.now() < until);
        });
        turn = mine;
        await mine;
        return { ok: true, value: { bytes: new Uint8Array(1), version: null, servedFrom: "network" } };
      },
    } as unknown as FetchEngine;
    const calls: BatchCall[] = Array.from({ length: 8 }, (_, i) => ({ id: i + 1, request: requestFor(`/busy/${i}`) }));
    const { finished, replies, answers, close } = open(() => busy, calls);
    await finished();
    expect(answers().size).toBe(8);
    expect(replies.filter((reply) => reply.type === "simvx-assets:answers").length).toBeGreaterThan(1);
    close();
  });

  it("sends `alive` ticks when the page asked for them", async () => {
    const engine = { request: () => new Promise<Result<HttpOutcome>>((resolve) => setTimeout(() => resolve({ ok: true, value: { notModified: true, version: null, servedFrom: "revalidated" } }), 1_200)) } as unknown as FetchEngine;
    const locks = new MemoryLockManager();
    const { finished, replies, close } = open(() => engine, [{ id: 1, request: requestFor("/batch/slow") }], { locks: locks.forOwner("worker"), heartbeat: true });
    await finished();
    expect(replies.filter((reply) => reply.type === "simvx-assets:alive").length).toBeGreaterThanOrEqual(1);
    close();
  });

  it("bad calls: entries without an id are dropped; a request that is not one is answered INVALID_URI", async () => {
    const engine = new FetchEngine({ store: new MemoryStore(), progress: WORKER_PROGRESS_PACING });
    const { finished, answers, close } = open(() => engine, [null, 42, { request: requestFor("/x") }, { id: 7, request: "not a request" }, { id: Number.NaN, request: requestFor("/y") }]);
    await finished();
    expect([...answers().keys()]).toEqual([7]);
    expect(answers().get(7)).toMatchObject({ ok: false, error: { code: "INVALID_URI" } });
    close();
  });

  it("an engine that cannot even be created answers with errors as data", async () => {
    const { finished, answers, close } = open(() => {
      throw new Error("IndexedDB is not available");
    }, [{ id: 1, request: requestFor("/batch/none") }]);
    await finished();
    expect(answers().get(1)).toMatchObject({ ok: false, error: { code: "NETWORK", message: expect.stringContaining("IndexedDB is not available") } });
    close();
  });

  it("reads still running when the batch's time limit ends answer TIMEOUT", async () => {
    const engine = {
      request: (_request: HttpRequest, ctx: EngineCallContext) =>
        new Promise<Result<HttpOutcome>>((resolve) =>
          ctx.signal.addEventListener("abort", () => resolve({ ok: false, error: { code: "CANCELLED", message: "cancelled", uri: "u" } })),
        ),
    } as unknown as FetchEngine;
    const { finished, answers, close } = open(() => engine, [{ id: 1, request: requestFor("/batch/forever") }], { maxCallMs: 50 });
    await finished();
    expect(answers().get(1)).toMatchObject({ ok: false, error: { code: "TIMEOUT", uri: `${origin.url}/batch/forever` } });
    close();
  });
});
