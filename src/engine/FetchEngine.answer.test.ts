import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Result } from "../kernel/protocol.js";
import { sha256Integrity } from "../kernel/verifyIntegrity.js";
import { FetchEngine } from "./FetchEngine.js";
import { MemoryStore } from "./MemoryStore.js";
import type { PageAnswer } from "./PageAnswer.js";
import { assetBytes, bytesOf, load, startLoad } from "../../test/support/engine/engineHarness.js";
import { startTestOrigin, type TestOrigin } from "../../test/support/engine/testOrigin.js";

// The page's own requests (the worker's fetch handler) through the same engine as load().
let origin: TestOrigin;
let store: MemoryStore;
let engine: FetchEngine;

beforeEach(async () => {
  origin = await startTestOrigin();
  store = new MemoryStore();
  engine = new FetchEngine({ store });
});
afterEach(() => origin.close());

const ctx = () => ({ signal: new AbortController().signal, onProgress: () => undefined });

function answerOf(result: Result<PageAnswer>): PageAnswer {
  if (!result.ok) throw new Error(`expected an answer, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

describe("FetchEngine.answer (the page's own requests)", () => {
  it("a page request and a load() of one URL at once make one request", async () => {
    origin.setAsset("/shared.png", assetBytes(5_000), { contentType: "image/png" });
    origin.fault("/shared.png", { kind: "hold", times: 1 });
    const url = `${origin.url}/shared.png`;
    const page = engine.answer(url, ctx());
    const loaded = startLoad(engine, url);
    await origin.waitForRequests("/shared.png", 1);
    origin.release();
    const [answer, other] = [answerOf(await page), await loaded];
    expect(origin.counts.requests).toBe(1);
    expect(answer).toMatchObject({ servedFrom: "network", size: 5_000, headers: { contentType: "image/png" } });
    expect(answer.bytes).toEqual(assetBytes(5_000));
    expect(bytesOf(other.result)).toEqual(assetBytes(5_000));
  });

  it("a page request given a build file's integrity and a load() carrying it (a pkg:// load) make one request", async () => {
    const bytes = assetBytes(5_000);
    const integrity = await sha256Integrity(bytes);
    origin.setAsset("/pkg/hero-abc.png", bytes, { contentType: "image/png" });
    origin.fault("/pkg/hero-abc.png", { kind: "hold", times: 2 });
    const url = `${origin.url}/pkg/hero-abc.png`;
    const page = engine.answer(url, ctx(), { immutable: true, integrity });
    const loaded = startLoad(engine, url, { integrity, immutable: true });
    await origin.waitForRequests("/pkg/hero-abc.png", 1);
    origin.release();
    const [answer, other] = [answerOf(await page), await loaded];
    expect(origin.counts.requests).toBe(1);
    expect(answer.bytes).toEqual(bytes);
    expect(bytesOf(other.result)).toEqual(bytes);
  });

  it("without the integrity, a page request and a pkg:// load() of one file do not share (the cause of the integrity option)", async () => {
    const bytes = assetBytes(5_000);
    origin.setAsset("/pkg/hero-abc.png", bytes, { contentType: "image/png" });
    origin.fault("/pkg/hero-abc.png", { kind: "hold", times: 2 });
    const url = `${origin.url}/pkg/hero-abc.png`;
    const page = engine.answer(url, ctx(), { immutable: true });
    const loaded = startLoad(engine, url, { integrity: await sha256Integrity(bytes), immutable: true });
    await origin.waitForRequests("/pkg/hero-abc.png", 2);
    origin.release();
    await Promise.all([page, loaded]);
    expect(origin.counts.requests).toBe(2);
  });

  it("a stored, fresh body is served from the store with its headers, and not read until a range of it is asked for", async () => {
    origin.setAsset("/fresh.ogg", assetBytes(10_000), { contentType: "audio/ogg", cacheControl: "max-age=3600" });
    const url = `${origin.url}/fresh.ogg`;
    await load(engine, url);
    origin.reset();
    let bodyReads = 0;
    const getBody = store.getBody.bind(store);
    store.getBody = (key) => (bodyReads++, getBody(key));
    const answer = answerOf(await engine.answer(url, ctx()));
    expect(origin.counts.requests).toBe(0);
    expect(answer).toMatchObject({ servedFrom: "persistent", size: 10_000, bytes: null, headers: { contentType: "audio/ogg" } });
    expect(answer.headers.etag).toMatch(/^"/);
    expect(answer.headers.lastModified).not.toBeNull();
    expect(bodyReads).toBe(0);
    // Fresh for most of the origin's hour: the page's memory cache may keep it that long.
    expect(answer.headers.cacheControl).toMatch(/^max-age=3[56]\d\d$/);
    expect(await engine.readStoredRange(answer.stored!, 100, 102)).toEqual(assetBytes(10_000).subarray(100, 102));
  });

  it("a stale stored body is confirmed by a conditional request (304) and still not read", async () => {
    origin.setAsset("/stale.bin", assetBytes(4_000));
    const url = `${origin.url}/stale.bin`;
    await load(engine, url);
    origin.reset();
    const answer = answerOf(await engine.answer(url, ctx()));
    expect(answer).toMatchObject({ servedFrom: "revalidated", bytes: null, size: 4_000, headers: { cacheControl: "no-cache" } });
    expect(origin.counts.notModified).toBe(1);
  });

  it("with the origin down, the stored body is served as stale", async () => {
    origin.setAsset("/offline.bin", assetBytes(3_000));
    const url = `${origin.url}/offline.bin`;
    await load(engine, url);
    await origin.close();
    const answer = answerOf(await engine.answer(url, ctx()));
    expect(answer).toMatchObject({ servedFrom: "stale", size: 3_000, headers: { cacheControl: "no-cache" } });
  });

  it("a body from the network carries the origin's Cache-Control, and a content-hashed one says it never changes", async () => {
    origin.setAsset("/a.bin", assetBytes(1_000), { cacheControl: "max-age=60" });
    origin.setAsset("/b-1234.bin", assetBytes(1_000));
    expect(answerOf(await engine.answer(`${origin.url}/a.bin`, ctx())).headers.cacheControl).toBe("max-age=60");
    expect(answerOf(await engine.answer(`${origin.url}/b-1234.bin`, ctx(), { immutable: true })).headers.cacheControl).toBe("max-age=31536000, immutable");
  });

  it("a damaged stored body is dropped and never served", async () => {
    origin.setAsset("/damaged.bin", assetBytes(3_000), { cacheControl: "max-age=3600" });
    const url = `${origin.url}/damaged.bin`;
    await load(engine, url);
    const [meta] = await store.getMetas([url]);
    await store.putMany([{ meta: meta!, body: assetBytes(3_000, 9) }]);
    const answer = answerOf(await engine.answer(url, ctx()));
    expect(await engine.readStoredRange(answer.stored!, 0, 10)).toBeNull();
    expect(await store.getMetas([url])).toEqual([undefined]);
  });

  it("a range of a large stored body reads only the pieces it lies in, each checked", async () => {
    const size = 5 * 2 ** 20 + 123;
    origin.setAsset("/film.bin", assetBytes(size), { cacheControl: "max-age=3600" });
    const url = `${origin.url}/film.bin`;
    await load(engine, url);
    const answer = answerOf(await engine.answer(url, ctx()));
    expect(answer.stored?.chunks?.integrity).toHaveLength(6);
    const before = store.chunkReads;
    const start = 2 * 2 ** 20 + 10;
    expect(await engine.readStoredRange(answer.stored!, start, start + 2 ** 19)).toEqual(assetBytes(size).subarray(start, start + 2 ** 19));
    expect(store.chunkReads - before).toBe(1);
    // Across a boundary: two pieces; the end of the body: the short last one.
    expect(await engine.readStoredRange(answer.stored!, 2 ** 20 - 1, 2 ** 20 + 1)).toEqual(assetBytes(size).subarray(2 ** 20 - 1, 2 ** 20 + 1));
    expect(await engine.readStoredRange(answer.stored!, size - 5, size)).toEqual(assetBytes(size).subarray(size - 5));
    expect(store.chunkReads - before).toBe(4);
  });

  it("a damaged or missing piece is never served: the entry is dropped, and the next answer fetches it again", async () => {
    const size = 3 * 2 ** 20;
    origin.setAsset("/damaged-piece.bin", assetBytes(size), { cacheControl: "max-age=3600" });
    const url = `${origin.url}/damaged-piece.bin`;
    await load(engine, url);
    store.damageChunk(url, 1, new Uint8Array(2 ** 20));
    const answer = answerOf(await engine.answer(url, ctx()));
    // A piece that is fine is still served...
    expect(await engine.readStoredRange(answer.stored!, 0, 10)).toEqual(assetBytes(size).subarray(0, 10));
    // ...the damaged one is not, and the entry goes.
    expect(await engine.readStoredRange(answer.stored!, 2 ** 20, 2 ** 20 + 10)).toBeNull();
    expect(await store.getMetas([url])).toEqual([undefined]);
    origin.reset();
    expect(answerOf(await engine.answer(url, ctx()))).toMatchObject({ servedFrom: "network", size });
    expect(origin.counts.requests).toBe(1);
    await engine.flush();
    const missing = answerOf(await engine.answer(url, ctx()));
    store.damageChunk(url, 2);
    expect(await engine.readStoredRange(missing.stored!, 2 * 2 ** 20, 2 * 2 ** 20 + 1)).toBeNull();
    expect(await store.getMetas([url])).toEqual([undefined]);
  });

  it("an origin the engine may not reach is refused as INVALID_URI, which the worker passes on to the network", async () => {
    const limited = new FetchEngine({ store, allowedOrigins: ["https://cdn.test"] });
    const result = await limited.answer(`${origin.url}/x.bin`, ctx());
    expect(result).toMatchObject({ ok: false, error: { code: "INVALID_URI" } });
  });

  it("knows which URLs it holds once its index is read", async () => {
    origin.setAsset("/held.bin", assetBytes(10));
    const url = `${origin.url}/held.bin`;
    expect(engine.holds(url)).toBeUndefined();
    await engine.prepareIndex();
    expect(engine.holds(url)).toBe(false);
    await load(engine, url);
    expect(engine.holds(url)).toBe(true);
  });
});
