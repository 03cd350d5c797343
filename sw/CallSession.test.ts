import * as Comlink from "comlink";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FetchEngine } from "../src/engine/FetchEngine.js";
import { MemoryStore } from "../src/engine/MemoryStore.js";
import { startTestOrigin, type TestOrigin } from "../src/engine/testing/testOrigin.js";
import type { EngineCallContext } from "../src/engine/FetchEngine.js";
import type { AssetWorkerApi, HttpOutcome, HttpRequest, ProgressReport, Result } from "../src/protocol.js";
import { progressReportOf } from "../src/transport/workerCall.js";
import { CallSession } from "./CallSession.js";

// The worker's half of one call, over Node's real MessageChannel and a real HTTP origin.
let origin: TestOrigin;
beforeAll(async () => {
  origin = await startTestOrigin();
});
afterAll(() => origin.close());

interface OpenSession {
  session: CallSession;
  api: Comlink.Remote<AssetWorkerApi>;
  /** Progress reports as the page receives them, on the call's port. */
  progress: ProgressReport[];
  close(): void;
}

function open(engine: () => FetchEngine, now?: () => number): OpenSession {
  const { port1, port2 } = new MessageChannel();
  const session = new CallSession(engine, "test-version", port2, now);
  Comlink.expose(session, port2);
  const api = Comlink.wrap<AssetWorkerApi>(port1);
  const progress: ProgressReport[] = [];
  port1.addEventListener("message", (event: MessageEvent) => {
    const report = progressReportOf(event.data);
    if (report) progress.push(report);
  });
  return { session, api, progress, close: () => (port1.close(), port2.close()) };
}

const requestFor = (path: string): HttpRequest => ({ url: `${origin.url}${path}`, knownVersion: null, cache: true, revalidate: "conditional-get" });

describe("CallSession", () => {
  it("answers one fetch with the bytes, then reports the call done", async () => {
    origin.setAsset("/session/a.bin", new Uint8Array([1, 2, 3, 4]));
    const engine = new FetchEngine({ store: new MemoryStore() });
    let clock = 0;
    const { session, api, progress, close } = open(() => engine, () => clock);
    const result = await api.fetch(requestFor("/session/a.bin"));
    expect(result).toMatchObject({ ok: true, value: { kind: "bytes", bytes: new Uint8Array([1, 2, 3, 4]), servedFrom: "network" } });
    // Answered within the quiet period: the answer said it all, no report cost a message.
    expect(progress).toEqual([]);
    clock += 1;
    await session.done;
    expect(session.started).toBe(true);
    close();
  });

  it("posts progress after a quiet period, at most once per period; retry notices at once", async () => {
    let clock = 1_000;
    const notice = { attempt: 1, delayMs: 10, error: { code: "NETWORK" as const, message: "reset", uri: "u" } };
    const engine = {
      async request(_request: HttpRequest, ctx: EngineCallContext): Promise<Result<HttpOutcome>> {
        for (const [at, loaded] of [[0, 0], [60, 10], [120, 50], [160, 60], [240, 90]] as const) {
          clock = 1_000 + at;
          ctx.onProgress(loaded, 100);
        }
        ctx.onRetry?.(notice);
        return { ok: true, value: { kind: "bytes", bytes: new Uint8Array(100), version: null, servedFrom: "network" } };
      },
    } as unknown as FetchEngine;
    const { api, progress, close } = open(() => engine, () => clock);
    await api.fetch(requestFor("/session/slow.bin"));
    await expect.poll(() => progress.length).toBe(3);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(progress).toEqual([
      { loaded: 50, total: 100 },
      { loaded: 90, total: 100 },
      { loaded: 90, total: 100, retry: notice },
    ]);
    close();
  });

  it("a transfer that stalls inside the quiet period still shows how far it got", async () => {
    // Above the size read whole, so it is read chunk by chunk and each chunk is reported.
    origin.setAsset("/session/paused.bin", new Uint8Array(256 * 1024));
    origin.fault("/session/paused.bin", { kind: "stall", sendBytes: 16 * 1024 });
    const engine = new FetchEngine({ store: new MemoryStore() });
    const { api, progress, close } = open(() => engine);
    const loading = api.fetch(requestFor("/session/paused.bin"));
    await expect.poll(() => progress.at(-1)).toEqual({ loaded: 16 * 1024, total: 256 * 1024 });
    expect(progress).toHaveLength(1);
    await api.abort();
    await loading;
    close();
  });

  it("aborting on the call's port cancels the request at the origin", async () => {
    origin.setAsset("/session/stalled.bin", new Uint8Array(4096));
    origin.fault("/session/stalled.bin", { kind: "stall", sendBytes: 16 });
    const aborts = origin.counts.clientAborts;
    const engine = new FetchEngine({ store: new MemoryStore() });
    const { api, close } = open(() => engine);
    const loading = api.fetch(requestFor("/session/stalled.bin"));
    await origin.waitForRequests("/session/stalled.bin", 1);
    await api.abort();
    expect(await loading).toMatchObject({ ok: false, error: { code: "CANCELLED" } });
    await origin.waitForClientAborts(aborts + 1);
    close();
  });

  it("an engine that cannot even be created answers with an error as data, not a thrown value", async () => {
    const { session, api, close } = open(() => {
      throw new Error("IndexedDB is not available");
    });
    const result = await api.stats();
    expect(result).toMatchObject({ ok: false, error: { code: "NETWORK" } });
    expect(result.ok || result.error.message).toContain("IndexedDB is not available");
    await session.done;
    close();
  });

  it("a ping as the first message is the call; later pings do not end it", async () => {
    const { session, api, close } = open(() => new FetchEngine({ store: new MemoryStore() }));
    expect(await api.ping()).toEqual({ ok: true, value: { version: "test-version" } });
    await session.done;
    expect(await api.ping()).toEqual({ ok: true, value: { version: "test-version" } });
    close();
  });
});
