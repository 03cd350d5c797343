import * as Comlink from "comlink";
import { describe, expect, it } from "vitest";
import { FetchEngine } from "../src/engine/FetchEngine.js";
import { MemoryStore } from "../src/engine/MemoryStore.js";
import type { AssetWorkerApi } from "../src/kernel/protocol.js";
import { CallSession } from "./CallSession.js";

// The worker's half of one control call, over Node's real MessageChannel.
function open(engine: () => FetchEngine) {
  const { port1, port2 } = new MessageChannel();
  const session = new CallSession(engine, "test-version");
  Comlink.expose(session, port2);
  const api = Comlink.wrap<AssetWorkerApi>(port1);
  return { session, api, close: () => (port1.close(), port2.close()) };
}

describe("CallSession", () => {
  it("answers one control call, then reports the call done", async () => {
    const { session, api, close } = open(() => new FetchEngine({ store: new MemoryStore(), budgetBytes: 1234 }));
    expect(session.started).toBe(false);
    expect(await api.stats()).toEqual({ ok: true, value: { entries: 0, bytes: 0, budgetBytes: 1234, requests: 0, files: 0 } });
    await session.done;
    expect(session.started).toBe(true);
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

  it("ping tells which build of the worker answers", async () => {
    const { session, api, close } = open(() => new FetchEngine({ store: new MemoryStore() }));
    expect(await api.ping()).toEqual({ ok: true, value: { version: "test-version" } });
    await session.done;
    close();
  });
});
