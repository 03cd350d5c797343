import { createHash } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { HttpRequest, PackSlice } from "../kernel/protocol.js";
import { FetchEngine } from "./FetchEngine.js";
import { MemoryStore } from "./MemoryStore.js";
import { assetBytes, bytesOf, errorOf, load, outcomeOf, startLoad } from "../../test/support/engine/engineHarness.js";
import { startTestOrigin, type TestOrigin } from "../../test/support/engine/testOrigin.js";

const sri = (bytes: Uint8Array) => `sha256-${createHash("sha256").update(bytes).digest("base64")}`;

/** Three files, each also served alone, and their plain concatenation as a pack. */
const FILES = [
  { path: "/a.bin", bytes: assetBytes(100, 1) },
  { path: "/b.bin", bytes: assetBytes(2_000, 2) },
  { path: "/c.bin", bytes: assetBytes(300, 3) },
];
const PACK = concat(FILES.map((file) => file.bytes));

let origin: TestOrigin;
let store: MemoryStore;
let engine: FetchEngine;

async function serve(options: { ranges?: boolean; pack?: Uint8Array } = {}): Promise<void> {
  origin = await startTestOrigin(options.ranges === undefined ? {} : { ranges: options.ranges });
  for (const file of FILES) origin.setAsset(file.path, file.bytes, { cacheControl: "max-age=31536000, immutable" });
  origin.setAsset("/pack.bin", options.pack ?? PACK);
}

function request(index: number, overrides: Partial<HttpRequest> = {}): Partial<HttpRequest> {
  const offset = FILES.slice(0, index).reduce((sum, file) => sum + file.bytes.length, 0);
  const pack: PackSlice = { url: `${origin.url}/pack.bin`, offset, length: FILES[index]!.bytes.length, packBytes: PACK.length };
  return { integrity: sri(FILES[index]!.bytes), immutable: true, pack, ...overrides };
}

const urlOf = (index: number) => `${origin.url}${FILES[index]!.path}`;

beforeEach(() => {
  store = new MemoryStore();
  engine = new FetchEngine({ store });
});
afterEach(() => origin.close());

describe("FetchEngine with packs", () => {
  it("files of one pack asked for together come in one range request, and each is stored under its own URL", async () => {
    await serve();
    const loads = await Promise.all(FILES.map((_, i) => startLoad(engine, urlOf(i), request(i))));
    loads.forEach((loaded, i) => expect(bytesOf(loaded.result)).toEqual(FILES[i]!.bytes));
    // All of the pack is wanted: one plain GET of it.
    expect(origin.counts.byPath).toEqual({ "/pack.bin": 1 });
    expect(origin.counts.rangeRequests).toBe(0);
    // Later loads of any one file need no pack and no request.
    origin.reset();
    const again = await load(engine, urlOf(1), request(1));
    expect(bytesOf(again.result)).toEqual(FILES[1]!.bytes);
    expect(origin.counts.requests).toBe(0);
  });

  it("part of a pack comes as one byte range of it", async () => {
    await serve();
    const loads = await Promise.all([1, 2].map((i) => startLoad(engine, urlOf(i), request(i))));
    expect(bytesOf(loads[0]!.result)).toEqual(FILES[1]!.bytes);
    expect(bytesOf(loads[1]!.result)).toEqual(FILES[2]!.bytes);
    expect(origin.counts.byPath).toEqual({ "/pack.bin": 1 });
    expect(origin.counts.rangeRequests).toBe(1);
    expect(origin.counts.bodyBytes).toBe(FILES[1]!.bytes.length + FILES[2]!.bytes.length);
  });

  it("progress of each file counts only its own bytes of the pack", async () => {
    await serve();
    const loads = await Promise.all(FILES.map((_, i) => startLoad(engine, urlOf(i), request(i))));
    loads.forEach((loaded, i) => expect(loaded.progress.at(-1)).toEqual([FILES[i]!.bytes.length, FILES[i]!.bytes.length]));
  });

  it("a single load of a file that is not stored fetches that file alone", async () => {
    await serve();
    const alone = await load(engine, urlOf(2), request(2));
    expect(bytesOf(alone.result)).toEqual(FILES[2]!.bytes);
    expect(origin.counts.byPath).toEqual({ "/c.bin": 1 });
  });

  it("a server that ignores Range still works: the whole pack is sliced", async () => {
    await serve({ ranges: false });
    const loads = await Promise.all([1, 2].map((i) => startLoad(engine, urlOf(i), request(i))));
    expect(bytesOf(loads[0]!.result)).toEqual(FILES[1]!.bytes);
    expect(bytesOf(loads[1]!.result)).toEqual(FILES[2]!.bytes);
    expect(origin.counts.byPath).toEqual({ "/pack.bin": 1 });
    expect(engine.packs.counts.rangeIgnored).toBe(1);
  });

  it("a corrupt pack fails only the affected file, with INTEGRITY, and stores nothing wrong", async () => {
    const corrupt = PACK.slice();
    corrupt[FILES[0]!.bytes.length + 10]! ^= 0xff; // inside b.bin's slice
    await serve({ pack: corrupt });
    const loads = await Promise.all(FILES.map((_, i) => startLoad(engine, urlOf(i), request(i))));
    expect(bytesOf(loads[0]!.result)).toEqual(FILES[0]!.bytes);
    expect(errorOf(loads[1]!.result)).toMatchObject({ code: "INTEGRITY" });
    expect(bytesOf(loads[2]!.result)).toEqual(FILES[2]!.bytes);
    const [a, b, c] = await store.getMetas(FILES.map((_, i) => urlOf(i)));
    expect([a !== undefined, b !== undefined, c !== undefined]).toEqual([true, false, true]);
  });

  it("a pack that fails fails over: each of its files is fetched through its own URL", async () => {
    await serve();
    origin.fault("/pack.bin", { kind: "status", status: 404 });
    const loads = await Promise.all(FILES.map((_, i) => startLoad(engine, urlOf(i), request(i))));
    loads.forEach((loaded, i) => expect(bytesOf(loaded.result)).toEqual(FILES[i]!.bytes));
    expect(origin.counts.byPath).toEqual({ "/pack.bin": 1, "/a.bin": 1, "/b.bin": 1, "/c.bin": 1 });
  });

  it("an index that lies about the pack's length gets no slice outside the bytes that came: the files go alone", async () => {
    await serve();
    const lying = (i: number) => ({ ...request(i), pack: { ...request(i).pack!, packBytes: PACK.length + 500 } });
    const loads = await Promise.all([0, 1].map((i) => startLoad(engine, urlOf(i), { ...lying(i), pack: { ...lying(i).pack, length: FILES[i]!.bytes.length + 10_000 } })));
    loads.forEach((loaded, i) => expect(bytesOf(loaded.result)).toEqual(FILES[i]!.bytes));
    expect(origin.counts.byPath["/a.bin"]).toBe(1);
    expect(origin.counts.byPath["/b.bin"]).toBe(1);
  });
});

describe("FetchEngine's request counts (the dev panel's requests against files)", () => {
  const sentOf = async () => {
    const stats = await engine.stats();
    if (!stats.ok) throw new Error(stats.error.message);
    return { requests: stats.value.requests, files: stats.value.files };
  };

  it("a batch from one pack is 1 request for all its files; stored files add neither", async () => {
    await serve();
    expect(await sentOf()).toEqual({ requests: 0, files: 0 });
    await Promise.all(FILES.map((_, i) => startLoad(engine, urlOf(i), request(i))));
    expect(await sentOf()).toEqual({ requests: 1, files: 3 });
    expect(origin.counts.requests).toBe(1);
    await load(engine, urlOf(1), request(1));
    expect(await sentOf()).toEqual({ requests: 1, files: 3 });
  });

  it("a pack that fails over counts its own request and each file's", async () => {
    await serve();
    origin.fault("/pack.bin", { kind: "status", status: 404 });
    await Promise.all(FILES.map((_, i) => startLoad(engine, urlOf(i), request(i))));
    expect(await sentOf()).toEqual({ requests: 4, files: 3 });
    expect(origin.counts.requests).toBe(4);
  });

  it("each retry is a request; a 304 is a request and no file", async () => {
    await serve();
    engine = new FetchEngine({ store, retryTiming: { baseDelayMs: 1 } });
    origin.setAsset("/level.json", "{}");
    origin.fault("/level.json", { kind: "status", status: 503, times: 1 });
    expect(outcomeOf((await load(engine, `${origin.url}/level.json`, { retries: 1 })).result)).toMatchObject({ servedFrom: "network" });
    expect(await sentOf()).toEqual({ requests: 2, files: 1 });
    expect(outcomeOf((await load(engine, `${origin.url}/level.json`)).result)).toMatchObject({ servedFrom: "revalidated" });
    expect(await sentOf()).toEqual({ requests: 3, files: 1 });
    expect(origin.counts).toMatchObject({ requests: 3, notModified: 1 });
  });

  it("bytes that fail their integrity are no file", async () => {
    const corrupt = PACK.slice();
    corrupt[FILES[0]!.bytes.length + 10]! ^= 0xff; // inside b.bin's slice
    await serve({ pack: corrupt });
    await Promise.all(FILES.map((_, i) => startLoad(engine, urlOf(i), request(i))));
    expect(await sentOf()).toEqual({ requests: 1, files: 2 });
  });
});

describe("FetchEngine, content-addressed", () => {
  it("a stored copy whose bytes match the request's integrity is served with no request, stale or not", async () => {
    await serve();
    origin.setAsset("/level.json", "{}", { cacheControl: "no-cache" });
    const integrity = sri(new TextEncoder().encode("{}"));
    await load(engine, `${origin.url}/level.json`, { integrity });
    origin.reset();
    const again = await load(engine, `${origin.url}/level.json`, { integrity });
    expect(new TextDecoder().decode(bytesOf(again.result))).toBe("{}");
    expect(again.result).toMatchObject({ ok: true, value: { servedFrom: "persistent" } });
    expect(origin.counts.requests).toBe(0);
    // Without integrity the same copy is revalidated, as HTTP says.
    await load(engine, `${origin.url}/level.json`);
    expect(origin.counts.requests).toBe(1);
  });

  it("stored copies asked for together are read with their metas in one store read, each caller with bytes of its own", async () => {
    await serve();
    await Promise.all(FILES.map((_, i) => load(engine, urlOf(i))));
    const entries = vi.spyOn(store, "getEntries");
    const metas = vi.spyOn(store, "getMetas");
    const bodies = vi.spyOn(store, "getBody");
    origin.reset();
    const again = await Promise.all([0, 1, 2, 1].map((i) => startLoad(engine, urlOf(i), { integrity: sri(FILES[i]!.bytes) })));
    expect(again.map((loaded) => bytesOf(loaded.result))).toEqual([0, 1, 2, 1].map((i) => FILES[i]!.bytes));
    expect(bytesOf(again[3]!.result).buffer).not.toBe(bytesOf(again[1]!.result).buffer);
    expect(entries).toHaveBeenCalledTimes(1);
    expect(metas).not.toHaveBeenCalled();
    expect(bodies).not.toHaveBeenCalled();
    expect(origin.counts.requests).toBe(0);
  });

  it("a copy of the same bytes under another URL is found by its hash: no request", async () => {
    await serve();
    await load(engine, urlOf(1));
    origin.reset();
    const moved = await load(engine, `${origin.url}/renamed/b.bin`, { integrity: sri(FILES[1]!.bytes) });
    expect(bytesOf(moved.result)).toEqual(FILES[1]!.bytes);
    expect(origin.counts.requests).toBe(0);
  });

  it("a changed entry (the integrity names other bytes) goes to the network", async () => {
    await serve();
    origin.setAsset("/level.json", "{}", { cacheControl: "no-cache" });
    await load(engine, `${origin.url}/level.json`, { integrity: sri(new TextEncoder().encode("{}")) });
    origin.setAsset("/level.json", '{"v":2}', { cacheControl: "no-cache" });
    origin.reset();
    const changed = await load(engine, `${origin.url}/level.json`, { integrity: sri(new TextEncoder().encode('{"v":2}')) });
    expect(new TextDecoder().decode(bytesOf(changed.result))).toBe('{"v":2}');
    expect(origin.counts.requests).toBe(1);
  });
});

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
