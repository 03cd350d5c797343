import { createHash } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { FetchEngine, type RetryEvent } from "../engine/FetchEngine.js";
import { MemoryStore } from "../engine/MemoryStore.js";
import { startTestOrigin, type TestOrigin } from "../../test/support/engine/testOrigin.js";
import { InPageBackend } from "../transport/InPageBackend.js";
// The Node entry: `new AssetServer()` gets the Node platform's defaults (disk, in-process engine).
import { AssetServer } from "../index.node.js";
import type { Handle } from "./Handle.js";
import type { AssetServerOptions, LoadOptions } from "./options.js";

// The whole AssetServer (HttpSource → in-page backend → FetchEngine) against a real node:http
// origin on 127.0.0.1. What reached the server is counted there, never mocked.

let origin: TestOrigin;
const servers: AssetServer[] = [];

beforeAll(async () => {
  origin = await startTestOrigin();
});

afterEach(() => {
  for (const server of servers.splice(0)) server.dispose();
  origin.clearFaults();
  origin.reset();
});

afterAll(async () => {
  await origin.close();
});

/** A server on its own engine and store, with short retry delays; retries are recorded. */
function httpServer(options: AssetServerOptions = {}) {
  const store = new MemoryStore();
  const retries: RetryEvent[] = [];
  const engine = new FetchEngine({ store, retryTiming: { baseDelayMs: 2, maxDelayMs: 20 }, onRetry: (event) => retries.push(event) });
  const server = new AssetServer({ httpBackend: new InPageBackend(engine), ...options });
  servers.push(server);
  return { server, store, engine, retries };
}

async function loaded<T>(server: AssetServer, path: string, opts: LoadOptions = {}): Promise<Handle<T>> {
  const handle = server.load<T>(`${origin.url}${path}`, opts);
  await handle.result(15_000).catch(() => undefined);
  return handle;
}

const sri = (content: string | Uint8Array) => `sha256-${createHash("sha256").update(content).digest("base64")}`;

describe("AssetServer over HTTP (real test origin)", () => {
  it("first load comes from the network; the second is revalidated by exactly one conditional request answered 304", async () => {
    const server = new AssetServer(); // the default wiring: in Node, the in-page backend over a memory store
    servers.push(server);
    origin.setAsset("/rev/level.json", JSON.stringify({ level: 1 }));
    const first = await loaded(server, "/rev/level.json");
    expect(first.servedFrom).toBe("network");
    expect(first.value).toEqual({ level: 1 });
    expect(origin.counts.requests).toBe(1);
    expect(origin.counts.conditionalRequests).toBe(0);
    const bodyBytes = origin.counts.bodyBytes;
    const second = await loaded(server, "/rev/level.json");
    expect(second.servedFrom).toBe("revalidated");
    expect(second.value).toEqual({ level: 1 });
    expect(origin.counts.requests).toBe(2);
    expect(origin.counts.conditionalRequests).toBe(1);
    expect(origin.counts.notModified).toBe(1);
    expect(origin.counts.bodyBytes).toBe(bodyBytes);
  });

  it("a changed asset comes back new, from the network", async () => {
    const { server } = httpServer();
    origin.setAsset("/rev/text.txt", "old");
    expect((await loaded(server, "/rev/text.txt")).value).toBe("old");
    origin.setAsset("/rev/text.txt", "new");
    const again = await loaded(server, "/rev/text.txt");
    expect(again.value).toBe("new");
    expect(again.servedFrom).toBe("network");
    expect(origin.counts.conditionalRequests).toBe(1);
    expect(origin.counts.notModified).toBe(0);
  });

  it("with the memory cache cleared, the stored copy is revalidated and its bytes served without a body from the origin", async () => {
    const { server } = httpServer();
    origin.setAsset("/rev/blob.bin", new Uint8Array([1, 2, 3, 4]));
    await loaded(server, "/rev/blob.bin");
    await server.clearCaches();
    const bodyBytes = origin.counts.bodyBytes;
    const again = await loaded<Uint8Array>(server, "/rev/blob.bin");
    expect(again.servedFrom).toBe("revalidated");
    expect([...again.value!]).toEqual([1, 2, 3, 4]);
    expect(origin.counts.bodyBytes).toBe(bodyBytes);
  });

  it("404 fails with NOT_FOUND after one request", async () => {
    const { server } = httpServer({ retries: 3 });
    const handle = await loaded(server, "/missing.bin");
    expect(handle.error?.code).toBe("NOT_FOUND");
    expect(handle.error?.status).toBe(404);
    expect(origin.counts.requests).toBe(1);
  });

  it("500 fails with HTTP and its status after the retries, one retry event each, never showing the body", async () => {
    const { server, retries } = httpServer({ retries: 2 });
    origin.setAsset("/flaky/a.bin", "x");
    origin.fault("/flaky/a.bin", { kind: "status", status: 500 });
    const handle = await loaded(server, "/flaky/a.bin");
    expect(handle.error?.code).toBe("HTTP");
    expect(handle.error?.status).toBe(500);
    expect(origin.counts.requests).toBe(3);
    expect(retries.map((event) => event.attempt)).toEqual([1, 2]);
    expect(JSON.stringify({ message: handle.error?.message, wire: handle.error?.toWire() })).not.toContain("SECRET-RESPONSE-BODY");
  });

  it("other 4xx are not retried; 429 and 503 are, and load once the server recovers", async () => {
    const { server } = httpServer({ retries: 2 });
    for (const path of ["/s/403.bin", "/s/429.bin", "/s/503.bin"]) origin.setAsset(path, path);
    origin.fault("/s/403.bin", { kind: "status", status: 403 });
    origin.fault("/s/429.bin", { kind: "status", status: 429, retryAfter: "0", times: 1 });
    origin.fault("/s/503.bin", { kind: "status", status: 503, times: 2 });
    const [forbidden, tooMany, unavailable] = await Promise.all(["/s/403.bin", "/s/429.bin", "/s/503.bin"].map((path) => loaded(server, path)));
    expect(forbidden!.error?.status).toBe(403);
    expect(tooMany!.state).toBe("loaded");
    expect(unavailable!.state).toBe("loaded");
    expect(origin.counts.byPath).toEqual({ "/s/403.bin": 1, "/s/429.bin": 2, "/s/503.bin": 3 });
  });

  it("a per-call retries: 0 overrides the server's retries", async () => {
    const { server } = httpServer({ retries: 3 });
    origin.setAsset("/once/a.bin", "a");
    origin.fault("/once/a.bin", { kind: "status", status: 500, times: 2 });
    const strict = await loaded(server, "/once/a.bin", { retries: 0 });
    expect(strict.error?.status).toBe(500);
    expect(origin.counts.requests).toBe(1);
    const patient = await loaded(server, "/once/a.bin");
    expect(patient.state).toBe("loaded");
    expect(origin.counts.requests).toBe(3);
  });

  it("cache: false sends no validator and stores nothing", async () => {
    const { server, engine } = httpServer();
    origin.setAsset("/nc/a.txt", "a");
    await loaded(server, "/nc/a.txt");
    const fresh = await loaded(server, "/nc/a.txt", { cache: false });
    expect(fresh.servedFrom).toBe("network");
    expect(origin.counts.requests).toBe(2);
    expect(origin.counts.conditionalRequests).toBe(0);
    origin.setAsset("/nc/b.txt", "b");
    await loaded(server, "/nc/b.txt", { cache: false });
    const stats = await engine.stats();
    expect(stats.ok && stats.value.entries).toBe(1);
  });

  it.each([
    ["Vary: *", { headers: { vary: "*" } }],
    ["Cache-Control: no-store", { cacheControl: "no-store" }],
  ])("a response with %s is not kept: the next load after a memory clear asks without a validator", async (_what, assetOptions) => {
    const { server, engine } = httpServer();
    origin.setAsset("/ns/a.txt", "a", assetOptions);
    await loaded(server, "/ns/a.txt");
    await server.clearCaches();
    const again = await loaded(server, "/ns/a.txt");
    expect(again.servedFrom).toBe("network");
    expect(origin.counts.conditionalRequests).toBe(0);
    const stats = await engine.stats();
    expect(stats.ok && stats.value.entries).toBe(0);
  });

  it("integrity is checked on network bytes: a mismatch fails INTEGRITY and stores nothing, a match loads", async () => {
    const { server, engine } = httpServer();
    origin.setAsset("/sri/a.txt", "tampered");
    const bad = await loaded(server, "/sri/a.txt", { integrity: sri("original") });
    expect(bad.error?.code).toBe("INTEGRITY");
    expect(server.memoryCacheBytes()).toBe(0);
    const stats = await engine.stats();
    expect(stats.ok && stats.value.entries).toBe(0);
    const good = await loaded(server, "/sri/a.txt", { integrity: sri("tampered") });
    expect(good.value).toBe("tampered");
  });

  it("maxBytes aborts a body of unknown length early with TOO_LARGE, and nothing is kept", async () => {
    const { server, engine } = httpServer({ maxBytes: 1_000 });
    origin.setAsset("/big/a.bin", new Uint8Array(64 * 1024), { chunked: true });
    const handle = await loaded(server, "/big/a.bin");
    expect(handle.error?.code).toBe("TOO_LARGE");
    const stats = await engine.stats();
    expect(stats.ok && stats.value.entries).toBe(0);
  });

  it("a corrupt stored copy is caught on read-back, dropped, and fetched again whole", async () => {
    const { server, store } = httpServer();
    const bytes = Uint8Array.from({ length: 4_000 }, (_, i) => i % 253);
    origin.setAsset("/rot/a.bin", bytes);
    await loaded(server, "/rot/a.bin");
    const [meta] = await store.listMetas();
    const rotten = bytes.slice();
    rotten[1_234] = rotten[1_234]! ^ 0xff;
    await store.putMany([{ meta: meta!, body: rotten }]);
    await server.clearCaches();
    origin.reset();
    const again = await loaded<Uint8Array>(server, "/rot/a.bin", { integrity: sri(bytes) });
    expect(again.error).toBeNull();
    expect(Buffer.from(again.value!).equals(Buffer.from(bytes))).toBe(true);
    expect(again.servedFrom).toBe("network");
    // The integrity pins the content, so the copy is read without asking the server; it is found
    // rotten and fetched again, once, without a validator.
    expect(origin.counts.requests).toBe(1);
    expect(origin.counts.conditionalRequests).toBe(0);
    expect(Buffer.from((await store.getBody(meta!.url))!).equals(Buffer.from(bytes))).toBe(true);
  });

  it("a truncated body fails with NETWORK, is not kept, and the next load gets the whole asset", async () => {
    const { server, engine } = httpServer();
    const bytes = Uint8Array.from({ length: 20_000 }, (_, i) => i % 251);
    origin.setAsset("/cut/a.bin", bytes);
    origin.fault("/cut/a.bin", { kind: "truncate", sendBytes: 5_000, times: 1 });
    const cut = await loaded(server, "/cut/a.bin", { retries: 0 });
    expect(cut.error?.code).toBe("NETWORK");
    const stats = await engine.stats();
    expect(stats.ok && stats.value.entries).toBe(0);
    const whole = await loaded<Uint8Array>(server, "/cut/a.bin");
    expect(whole.servedFrom).toBe("network");
    expect(Buffer.from(whole.value!).equals(Buffer.from(bytes))).toBe(true);
  });

  it("a response that stalls ends TIMEOUT after the per-call stall timeout, and the connection is closed", async () => {
    const { server } = httpServer();
    origin.setAsset("/stall/a.bin", new Uint8Array(10_000));
    origin.fault("/stall/a.bin", { kind: "stall", sendBytes: 100 });
    const handle = await loaded(server, "/stall/a.bin", { retries: 0, stallTimeoutMs: 100 });
    expect(handle.error?.code).toBe("TIMEOUT");
    await origin.waitForClientAborts(1);
  });

  it("a server that never answers is ended by the load's total timeout, which aborts the request", async () => {
    const { server } = httpServer();
    origin.setAsset("/hold/a.bin", "late");
    origin.fault("/hold/a.bin", { kind: "hold" });
    const handle = await loaded(server, "/hold/a.bin", { timeoutMs: 150, stallTimeoutMs: 0 });
    expect(handle.error?.code).toBe("TIMEOUT");
    await origin.waitForClientAborts(1);
    expect(server.pending()).toEqual([]);
  });
});
