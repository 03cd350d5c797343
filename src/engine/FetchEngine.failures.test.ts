import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FetchEngine } from "./FetchEngine.js";
import type { RetryEvent } from "./FetchEngine.js";
import { MemoryStore } from "./MemoryStore.js";
import { sha256Integrity } from "../kernel/verifyIntegrity.js";
import { assetBytes, bytesOf, errorOf, load, outcomeOf, startLoad } from "../../test/support/engine/engineHarness.js";
import { startTestOrigin } from "../../test/support/engine/testOrigin.js";
import type { TestOrigin } from "../../test/support/engine/testOrigin.js";

let origin: TestOrigin;
let store: MemoryStore;
let engine: FetchEngine;
let retries: RetryEvent[];

beforeEach(async () => {
  origin = await startTestOrigin();
  store = new MemoryStore();
  retries = [];
  engine = new FetchEngine({ store, retryTiming: { baseDelayMs: 1 }, onRetry: (event) => retries.push(event) });
});
afterEach(() => origin.close());

describe("FetchEngine failures", () => {
  it("refuses URLs that are not http(s), not absolute, or outside the allowed origins", async () => {
    expect(errorOf((await load(engine, "ftp://example.test/a")).result).code).toBe("UNSUPPORTED_SCHEME");
    expect(errorOf((await load(engine, "not a url")).result)).toMatchObject({ code: "INVALID_URI", uri: "not a url" });
    expect(errorOf((await load(engine, "http://user:pw@127.0.0.1/a")).result).code).toBe("INVALID_URI");
    const fenced = new FetchEngine({ store, allowedOrigins: ["https://cdn.example.test"] });
    expect(errorOf((await load(fenced, `${origin.url}/a`)).result).code).toBe("INVALID_URI");
    expect(origin.counts.requests).toBe(0);
  });

  it("404 fails with NOT_FOUND and is not retried", async () => {
    const { result } = await load(engine, `${origin.url}/missing.bin`, { retries: 3 });
    expect(errorOf(result)).toMatchObject({ code: "NOT_FOUND", status: 404, uri: `${origin.url}/missing.bin` });
    expect(origin.counts.requests).toBe(1);
    expect(retries).toEqual([]);
  });

  it("other 4xx fail with HTTP and their status, are not retried, and never carry the response body", async () => {
    origin.setAsset("/a.bin", assetBytes(10));
    origin.fault("/a.bin", { kind: "status", status: 403 });
    const error = errorOf((await load(engine, `${origin.url}/a.bin`, { retries: 3 })).result);
    expect(error).toMatchObject({ code: "HTTP", status: 403 });
    expect(JSON.stringify(error)).not.toContain("SECRET");
    expect(origin.counts.requests).toBe(1);
  });

  it("retries on 500 and succeeds when the server recovers", async () => {
    origin.setAsset("/a.bin", assetBytes(10));
    origin.fault("/a.bin", { kind: "status", status: 500, times: 2 });
    const { result } = await load(engine, `${origin.url}/a.bin`, { retries: 2 });
    expect(bytesOf(result)).toEqual(assetBytes(10));
    expect(origin.counts.requests).toBe(3);
    expect(retries.map((event) => [event.attempt, event.error.status])).toEqual([[1, 500], [2, 500]]);
  });

  it("tells each caller of a shared request about every retry", async () => {
    origin.setAsset("/a.bin", assetBytes(10));
    origin.fault("/a.bin", { kind: "status", status: 503, times: 1 });
    const told: Array<[string, number, number | undefined]> = [];
    const ask = (who: string) =>
      engine.request(
        { url: `${origin.url}/a.bin`, knownVersion: null, cache: true, revalidate: "conditional-get", retries: 2 },
        { signal: new AbortController().signal, onProgress: () => undefined, onRetry: (notice) => told.push([who, notice.attempt, notice.error.status]) },
      );
    const [first, second] = await Promise.all([ask("first"), ask("second")]);
    expect(bytesOf(first)).toEqual(assetBytes(10));
    expect(bytesOf(second)).toEqual(assetBytes(10));
    expect(told.sort()).toEqual([["first", 1, 503], ["second", 1, 503]]);
    expect(origin.counts.requests).toBe(2);
  });

  it("gives up after the allowed retries with the last error", async () => {
    origin.setAsset("/a.bin", assetBytes(10));
    origin.fault("/a.bin", { kind: "status", status: 503 });
    const { result } = await load(engine, `${origin.url}/a.bin`, { retries: 1 });
    expect(errorOf(result)).toMatchObject({ code: "HTTP", status: 503 });
    expect(origin.counts.requests).toBe(2);
  });

  it("makes no retry unless asked", async () => {
    origin.setAsset("/a.bin", assetBytes(10));
    origin.fault("/a.bin", { kind: "status", status: 500 });
    await load(engine, `${origin.url}/a.bin`);
    expect(origin.counts.requests).toBe(1);
  });

  it("on 429 waits as long as Retry-After says", async () => {
    origin.setAsset("/a.bin", assetBytes(10));
    origin.fault("/a.bin", { kind: "status", status: 429, retryAfter: "1", times: 1 });
    const { result } = await load(engine, `${origin.url}/a.bin`, { retries: 1 });
    expect(bytesOf(result)).toEqual(assetBytes(10));
    expect(retries).toMatchObject([{ attempt: 1, delayMs: 1000, error: { code: "HTTP", status: 429 } }]);
  });

  it("caps a Retry-After that is too long", async () => {
    engine = new FetchEngine({ store, retryTiming: { maxDelayMs: 20 }, onRetry: (event) => retries.push(event) });
    origin.setAsset("/a.bin", assetBytes(10));
    origin.fault("/a.bin", { kind: "status", status: 503, retryAfter: "3600", times: 1 });
    expect(bytesOf((await load(engine, `${origin.url}/a.bin`, { retries: 1 })).result)).toEqual(assetBytes(10));
    expect(retries[0]?.delayMs).toBe(20);
  });

  it("cancelling during a retry wait ends the load as CANCELLED without another request", async () => {
    engine = new FetchEngine({ store, retryTiming: { baseDelayMs: 60_000 }, onRetry: (event) => retries.push(event) });
    origin.setAsset("/a.bin", assetBytes(10));
    origin.fault("/a.bin", { kind: "status", status: 500 });
    const controller = new AbortController();
    const pending = startLoad(engine, `${origin.url}/a.bin`, { retries: 3 }, controller.signal);
    await origin.waitForRequests("/a.bin", 1);
    await expect.poll(() => retries.length).toBe(1);
    controller.abort();
    expect(errorOf((await pending).result).code).toBe("CANCELLED");
    expect(origin.counts.requests).toBe(1);
  });

  // Both ways of reading a body: whole (up to 64 KiB declared) and chunk by chunk.
  it.each([10_000, 100_000])("a truncated body (%i bytes declared) fails with NETWORK and is not cached", async (size) => {
    origin.setAsset("/a.bin", assetBytes(size));
    origin.fault("/a.bin", { kind: "truncate", sendBytes: 4000, times: 1 });
    expect(errorOf((await load(engine, `${origin.url}/a.bin`)).result).code).toBe("NETWORK");
    expect(await store.listMetas()).toEqual([]);
    const { result } = await load(engine, `${origin.url}/a.bin`);
    expect(bytesOf(result)).toEqual(assetBytes(size));
    expect(origin.counts.conditionalRequests).toBe(0);
  });

  it("an integrity mismatch fails with INTEGRITY and stores nothing", async () => {
    origin.setAsset("/a.bin", assetBytes(100));
    const wrong = await sha256Integrity(assetBytes(100, 2));
    expect(errorOf((await load(engine, `${origin.url}/a.bin`, { integrity: wrong })).result).code).toBe("INTEGRITY");
    expect(await store.listMetas()).toEqual([]);
  });

  it("matching integrity loads and stores", async () => {
    origin.setAsset("/a.bin", assetBytes(100));
    const right = await sha256Integrity(assetBytes(100));
    expect(bytesOf((await load(engine, `${origin.url}/a.bin`, { integrity: right })).result)).toEqual(assetBytes(100));
    expect(await store.listMetas()).toHaveLength(1);
  });

  it("maxBytes refuses from Content-Length before reading the body", async () => {
    origin.setAsset("/big.bin", assetBytes(50_000));
    const error = errorOf((await load(engine, `${origin.url}/big.bin`, { maxBytes: 1000 })).result);
    expect(error.code).toBe("TOO_LARGE");
    expect(await store.listMetas()).toEqual([]);
  });

  it("maxBytes aborts a body of unknown length as soon as it passes the limit", async () => {
    // The server sends 5000 bytes and then nothing: only an early abort can end this load.
    origin.setAsset("/big.bin", assetBytes(50_000), { chunked: true });
    origin.fault("/big.bin", { kind: "stall", sendBytes: 5000 });
    const error = errorOf((await load(engine, `${origin.url}/big.bin`, { maxBytes: 1000 })).result);
    expect(error.code).toBe("TOO_LARGE");
    await origin.waitForClientAborts(1);
  });

  it("a stalled body fails with TIMEOUT and the connection is closed", async () => {
    origin.setAsset("/slow.bin", assetBytes(50_000));
    origin.fault("/slow.bin", { kind: "stall", sendBytes: 1000 });
    const error = errorOf((await load(engine, `${origin.url}/slow.bin`, { stallTimeoutMs: 300 })).result);
    expect(error.code).toBe("TIMEOUT");
    await origin.waitForClientAborts(1);
    expect(await store.listMetas()).toEqual([]);
  });

  it("offline (server gone) serves the stored copy as stale", async () => {
    origin.setAsset("/a.bin", assetBytes(100));
    await load(engine, `${origin.url}/a.bin`);
    await origin.close();
    const { result } = await load(engine, `${origin.url}/a.bin`, { retries: 1 });
    expect(outcomeOf(result).servedFrom).toBe("stale");
    expect(bytesOf(result)).toEqual(assetBytes(100));
  });

  it("offline with the page's own copy answers notModified as stale", async () => {
    origin.setAsset("/a.bin", assetBytes(100), { etag: '"v1"' });
    await origin.close();
    const { result } = await load(engine, `${origin.url}/a.bin`, { knownVersion: '"v1"' });
    expect(outcomeOf(result)).toEqual({ notModified: true, version: '"v1"', servedFrom: "stale" });
  });

  it("server gone and nothing cached fails with NETWORK, or OFFLINE when the browser says so", async () => {
    const url = `${origin.url}/a.bin`;
    await origin.close();
    expect(errorOf((await load(engine, url)).result).code).toBe("NETWORK");
    const offline = new FetchEngine({ store, isOffline: () => true });
    expect(errorOf((await load(offline, url)).result).code).toBe("OFFLINE");
  });

  it("cache: false never serves a stale copy", async () => {
    origin.setAsset("/a.bin", assetBytes(100));
    await load(engine, `${origin.url}/a.bin`);
    await origin.close();
    expect(errorOf((await load(engine, `${origin.url}/a.bin`, { cache: false })).result).code).toBe("NETWORK");
  });

  it("a 404 for a stored asset drops the stored copy", async () => {
    origin.setAsset("/a.bin", assetBytes(100));
    await load(engine, `${origin.url}/a.bin`);
    origin.deleteAsset("/a.bin");
    expect(errorOf((await load(engine, `${origin.url}/a.bin`)).result).code).toBe("NOT_FOUND");
    expect(await store.listMetas()).toEqual([]);
  });
});
