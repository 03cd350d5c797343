import * as Comlink from "comlink";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FetchEngine } from "../src/engine/FetchEngine.js";
import { MemoryStore } from "../src/engine/MemoryStore.js";
import { startTestOrigin, type TestOrigin } from "../src/engine/testing/testOrigin.js";
import type { AssetWorkerApi, HttpRequest, ProgressMessage, ProgressReport } from "../src/protocol.js";
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

function open(engine: () => FetchEngine): OpenSession {
  const { port1, port2 } = new MessageChannel();
  const session = new CallSession(engine, "test-version", (report) => {
    const message: ProgressMessage = { type: "simvx-assets:progress", report };
    port2.postMessage(message);
  });
  Comlink.expose(session, port2);
  const api = Comlink.wrap<AssetWorkerApi>(port1);
  const progress: ProgressReport[] = [];
  port1.addEventListener("message", (event: MessageEvent) => {
    const data = event.data as Partial<ProgressMessage>;
    if (data.type === "simvx-assets:progress" && data.report) progress.push(data.report);
  });
  return { session, api, progress, close: () => (port1.close(), port2.close()) };
}

const requestFor = (path: string): HttpRequest => ({ url: `${origin.url}${path}`, knownVersion: null, cache: true, revalidate: "conditional-get" });

describe("CallSession", () => {
  it("answers one fetch with the bytes and progress, then reports the call done", async () => {
    origin.setAsset("/session/a.bin", new Uint8Array([1, 2, 3, 4]));
    const engine = new FetchEngine({ store: new MemoryStore() });
    const { session, api, progress, close } = open(() => engine);
    const result = await api.fetch(requestFor("/session/a.bin"));
    expect(result).toMatchObject({ ok: true, value: { kind: "bytes", bytes: new Uint8Array([1, 2, 3, 4]), servedFrom: "network" } });
    // Reports go out on the same port as the answer, before it.
    expect(progress.at(-1)).toEqual({ loaded: 4, total: 4 });
    await session.done;
    expect(session.started).toBe(true);
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
