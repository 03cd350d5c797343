import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FetchEngine } from "./FetchEngine.js";
import { MemoryStore } from "./MemoryStore.js";
import { assetBytes, bytesOf, load, outcomeOf } from "../../test/support/engine/engineHarness.js";
import { startTestOrigin, type TestOrigin } from "../../test/support/engine/testOrigin.js";

// Issue 12: requests to another origin than the engine's own stay CORS-simple. Node's fetch has no
// CORS and no HTTP cache, so these tests check what the engine asks for (a spy over the real fetch
// to a real origin) and what it makes of the answers; the browser's side is in e2e/deploy.cors.spec.ts.
let origin: TestOrigin;
let store: MemoryStore;
let seen: Array<{ method: string; headers: Record<string, string>; cache: RequestCache | undefined; mode: RequestMode | undefined }>;
const spy: typeof fetch = (input, init) => {
  seen.push({ method: init?.method ?? "GET", headers: { ...(init?.headers as Record<string, string>) }, cache: init?.cache, mode: init?.mode });
  return globalThis.fetch(input, init);
};

beforeEach(async () => {
  origin = await startTestOrigin();
  store = new MemoryStore();
  seen = [];
});
afterEach(() => origin.close());

describe("FetchEngine across origins", () => {
  it("revalidates through the HTTP cache (no header of ours, cache: no-cache); an answer with the same ETag serves the stored copy", async () => {
    const engine = new FetchEngine({ store, fetch: spy, ownOrigin: "http://page.test" });
    origin.setAsset("/x.bin", assetBytes(3000), { etag: 'W/"v1"' });
    await load(engine, `${origin.url}/x.bin`);
    seen = [];
    const { result } = await load(engine, `${origin.url}/x.bin`);
    expect(seen).toEqual([{ method: "GET", headers: {}, cache: "no-cache", mode: undefined }]);
    expect(outcomeOf(result)).toMatchObject({ servedFrom: "revalidated", version: 'W/"v1"' });
    expect(bytesOf(result)).toEqual(assetBytes(3000));
  });

  it("a changed asset across origins comes new", async () => {
    const engine = new FetchEngine({ store, fetch: spy, ownOrigin: "http://page.test" });
    origin.setAsset("/y.bin", assetBytes(10), { etag: '"v1"' });
    await load(engine, `${origin.url}/y.bin`);
    origin.setAsset("/y.bin", assetBytes(20), { etag: '"v2"' });
    const { result } = await load(engine, `${origin.url}/y.bin`);
    expect(outcomeOf(result)).toMatchObject({ servedFrom: "network", version: '"v2"' });
    expect(bytesOf(result)).toEqual(assetBytes(20));
  });

  it("on its own origin it still sends the conditional header itself (one 304, no body)", async () => {
    const engine = new FetchEngine({ store, fetch: spy, ownOrigin: origin.url });
    origin.setAsset("/z.bin", assetBytes(100), { etag: '"v1"' });
    await load(engine, `${origin.url}/z.bin`);
    seen = [];
    origin.reset();
    await load(engine, `${origin.url}/z.bin`);
    expect(seen).toEqual([{ method: "GET", headers: { "if-none-match": '"v1"' }, cache: undefined, mode: undefined }]);
    expect(origin.counts).toMatchObject({ notModified: 1, bodyBytes: 0 });
  });

  it("an origin whose port only begins like the engine's is another origin; the engine's own is compared as the URL parser writes it", async () => {
    // The engine's own origin is the test origin's with the port's last digit cut: the test origin's URLs begin with it.
    const longerPort = new FetchEngine({ store, fetch: spy, ownOrigin: origin.url.slice(0, -1) });
    origin.setAsset("/p.bin", assetBytes(10), { etag: '"v1"' });
    await load(longerPort, `${origin.url}/p.bin`);
    seen = [];
    await load(longerPort, `${origin.url}/p.bin`);
    expect(seen).toEqual([{ method: "GET", headers: {}, cache: "no-cache", mode: undefined }]);
    const ownSpelledOtherwise = new FetchEngine({ store: new MemoryStore(), fetch: spy, ownOrigin: `${origin.url.replace("http://", "HTTP://")}/` });
    await load(ownSpelledOtherwise, `${origin.url}/p.bin`);
    seen = [];
    await load(ownSpelledOtherwise, `${origin.url}/p.bin`);
    expect(seen).toEqual([{ method: "GET", headers: { "if-none-match": '"v1"' }, cache: undefined, mode: undefined }]);
  });

  it("a CORS refusal (the origin answers a no-cors HEAD) fails at once with NETWORK naming CORS, never retried, never stale", async () => {
    origin.setAsset("/cors.bin", assetBytes(10));
    let refuse = false;
    // What a browser does when the answer lacks Access-Control-Allow-Origin: fetch rejects with a
    // bare TypeError; a no-cors request to the same URL resolves with an opaque response.
    const corsFetch: typeof fetch = async (input, init) => {
      seen.push({ method: init?.method ?? "GET", headers: {}, cache: init?.cache, mode: init?.mode });
      if (!refuse) return globalThis.fetch(input, init);
      if (init?.mode === "no-cors") return { type: "opaque", ok: false, status: 0, headers: new Headers(), body: null } as unknown as Response;
      throw new TypeError("Failed to fetch");
    };
    const engine = new FetchEngine({ store, fetch: corsFetch, ownOrigin: "http://page.test" });
    await load(engine, `${origin.url}/cors.bin`);
    refuse = true;
    seen = [];
    const { result } = await load(engine, `${origin.url}/cors.bin`, { retries: 2 });
    // The stored copy is not served in its place: the origin answered.
    expect(result).toMatchObject({ ok: false, error: { code: "NETWORK", message: expect.stringContaining("CORS") } });
    expect(result.ok || result.error.message).toContain("Access-Control-Allow-Origin");
    expect(seen.map((request) => `${request.method} ${request.mode ?? "cors"}`)).toEqual(["GET cors", "HEAD cors", "HEAD no-cors"]);
  });

  it("a one-off reset (the origin then answers a CORS HEAD) is a retryable network error, not a CORS refusal", async () => {
    origin.setAsset("/reset.bin", assetBytes(10));
    let resets = 1;
    const resetFetch: typeof fetch = async (input, init) => {
      seen.push({ method: init?.method ?? "GET", headers: {}, cache: init?.cache, mode: init?.mode });
      if ((init?.method ?? "GET") === "GET" && resets > 0) {
        resets -= 1;
        throw new TypeError("Failed to fetch");
      }
      return globalThis.fetch(input, init);
    };
    const engine = new FetchEngine({ store, fetch: resetFetch, ownOrigin: "http://page.test", retryTiming: { baseDelayMs: 1, maxDelayMs: 2 } });
    const { result } = await load(engine, `${origin.url}/reset.bin`, { retries: 1 });
    expect(outcomeOf(result)).toMatchObject({ servedFrom: "network" });
    expect(seen.map((request) => `${request.method} ${request.mode ?? "cors"}`)).toEqual(["GET cors", "HEAD cors", "GET cors"]);
  });

  it("a network failure that is not CORS (nothing answers) is retried, and a stored copy is served stale", async () => {
    origin.setAsset("/down.bin", assetBytes(10));
    let down = false;
    const downFetch: typeof fetch = async (input, init) => {
      seen.push({ method: init?.method ?? "GET", headers: {}, cache: init?.cache, mode: init?.mode });
      if (down) throw new TypeError("Failed to fetch");
      return globalThis.fetch(input, init);
    };
    const engine = new FetchEngine({ store, fetch: downFetch, ownOrigin: "http://page.test", retryTiming: { baseDelayMs: 1, maxDelayMs: 2 } });
    await load(engine, `${origin.url}/down.bin`);
    down = true;
    seen = [];
    const { result } = await load(engine, `${origin.url}/down.bin`, { retries: 1 });
    expect(outcomeOf(result)).toMatchObject({ servedFrom: "stale" });
    expect(seen.filter((request) => request.method === "GET")).toHaveLength(2);
  });

  it("stale-if-error: a 5xx serves the stored copy as stale; a 404 fails and drops it", async () => {
    const engine = new FetchEngine({ store });
    origin.setAsset("/e.bin", assetBytes(10));
    origin.setAsset("/gone.bin", assetBytes(10));
    await load(engine, `${origin.url}/e.bin`);
    await load(engine, `${origin.url}/gone.bin`);
    origin.fault("/e.bin", { kind: "status", status: 503 });
    origin.deleteAsset("/gone.bin");
    const failing = await load(engine, `${origin.url}/e.bin`, { retries: 0 });
    expect(outcomeOf(failing.result)).toMatchObject({ servedFrom: "stale" });
    const gone = await load(engine, `${origin.url}/gone.bin`, { retries: 0 });
    expect(gone.result).toMatchObject({ ok: false, error: { code: "NOT_FOUND", status: 404 } });
    expect((await store.getMetas([`${origin.url}/gone.bin`]))[0]).toBeUndefined();
  });
});
