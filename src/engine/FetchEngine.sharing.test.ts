import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FetchEngine } from "./FetchEngine.js";
import { MemoryStore } from "./MemoryStore.js";
import { assetBytes, bytesOf, errorOf, outcomeOf, startLoad } from "../../test/support/engine/engineHarness.js";
import type { Load } from "../../test/support/engine/engineHarness.js";
import { startTestOrigin } from "../../test/support/engine/testOrigin.js";
import type { TestOrigin } from "../../test/support/engine/testOrigin.js";

let origin: TestOrigin;
let engine: FetchEngine;

beforeEach(async () => {
  origin = await startTestOrigin();
  engine = new FetchEngine({ store: new MemoryStore() });
});
afterEach(() => origin.close());

function expectMonotonic(load: Load, size: number): void {
  const loaded = load.progress.map(([value]) => value);
  expect(loaded).toEqual([...loaded].sort((a, b) => a - b));
  expect(load.progress.at(-1)).toEqual([size, size]);
}

describe("FetchEngine sharing and cancel", () => {
  it("concurrent requests for one URL share one fetch, and each caller gets its own bytes", async () => {
    origin.setAsset("/a.bin", assetBytes(20_000));
    const [first, second] = await Promise.all([startLoad(engine, `${origin.url}/a.bin`), startLoad(engine, `${origin.url}/a.bin`)]);
    expect(origin.counts.requests).toBe(1);
    const [a, b] = [bytesOf(first.result), bytesOf(second.result)];
    expect(a).toEqual(assetBytes(20_000));
    expect(b).toEqual(assetBytes(20_000));
    expect(a.buffer).not.toBe(b.buffer);
  });

  it("a caller joining mid-download shares the request and still sees the load finish", async () => {
    origin.setAsset("/a.bin", assetBytes(20_000));
    origin.fault("/a.bin", { kind: "hold", times: 1 });
    const first = startLoad(engine, `${origin.url}/a.bin`);
    await origin.waitForRequests("/a.bin", 1);
    const second = startLoad(engine, `${origin.url}/a.bin`);
    origin.release();
    const [one, two] = await Promise.all([first, second]);
    expect(origin.counts.requests).toBe(1);
    expectMonotonic(one, 20_000);
    expectMonotonic(two, 20_000);
  });

  it("progress reaches every caller, only grows, and ends with the full size", async () => {
    const size = 3 * 2 ** 20;
    origin.setAsset("/big.bin", assetBytes(size));
    const loads = await Promise.all([startLoad(engine, `${origin.url}/big.bin`), startLoad(engine, `${origin.url}/big.bin`)]);
    for (const load of loads) {
      expectMonotonic(load, size);
      expect(load.progress.every(([, total]) => total === size)).toBe(true);
    }
  });

  it("cancel aborts the request at the server", async () => {
    origin.setAsset("/slow.bin", assetBytes(50_000));
    origin.fault("/slow.bin", { kind: "stall", sendBytes: 1000 });
    const controller = new AbortController();
    const pending = startLoad(engine, `${origin.url}/slow.bin`, {}, controller.signal);
    await origin.waitForRequests("/slow.bin", 1);
    controller.abort();
    expect(errorOf((await pending).result)).toMatchObject({ code: "CANCELLED", uri: `${origin.url}/slow.bin` });
    await origin.waitForClientAborts(1);
    expect(origin.counts.clientAborts).toBe(1);
  });

  it("cancelling one of two callers does not cancel the other", async () => {
    origin.setAsset("/a.bin", assetBytes(10_000));
    origin.fault("/a.bin", { kind: "hold", times: 1 });
    const leaving = new AbortController();
    const first = startLoad(engine, `${origin.url}/a.bin`, {}, leaving.signal);
    const second = startLoad(engine, `${origin.url}/a.bin`);
    await origin.waitForRequests("/a.bin", 1);
    leaving.abort();
    expect(errorOf((await first).result).code).toBe("CANCELLED");
    origin.release();
    expect(bytesOf((await second).result)).toEqual(assetBytes(10_000));
    expect(origin.counts).toMatchObject({ requests: 1, clientAborts: 0 });
  });

  it("the shared request is aborted at the server once every caller has cancelled", async () => {
    origin.setAsset("/slow.bin", assetBytes(50_000));
    origin.fault("/slow.bin", { kind: "stall", sendBytes: 1000 });
    const callers = [new AbortController(), new AbortController()];
    const loads = callers.map((caller) => startLoad(engine, `${origin.url}/slow.bin`, {}, caller.signal));
    await origin.waitForRequests("/slow.bin", 1);
    callers[0]!.abort();
    callers[1]!.abort();
    for (const load of await Promise.all(loads)) expect(errorOf(load.result).code).toBe("CANCELLED");
    await origin.waitForClientAborts(1);
  });

  it("a caller already holding the version gets notModified while another caller gets the bytes", async () => {
    origin.setAsset("/a.bin", assetBytes(100), { etag: '"v1"' });
    await startLoad(engine, `${origin.url}/a.bin`);
    origin.reset();
    const [holder, newcomer] = await Promise.all([
      startLoad(engine, `${origin.url}/a.bin`, { knownVersion: '"v1"' }),
      startLoad(engine, `${origin.url}/a.bin`),
    ]);
    expect(outcomeOf(holder.result)).toEqual({ notModified: true, version: '"v1"', servedFrom: "revalidated" });
    expect(bytesOf(newcomer.result)).toEqual(assetBytes(100));
    expect(origin.counts.requests).toBe(1);
  });

  it("a progress callback that throws does not fail the load", async () => {
    origin.setAsset("/a.bin", assetBytes(1000));
    const result = await engine.request(
      { url: `${origin.url}/a.bin`, knownVersion: null, cache: true, revalidate: "conditional-get" },
      { signal: new AbortController().signal, onProgress: () => { throw new Error("bad listener"); } },
    );
    expect(bytesOf(result)).toEqual(assetBytes(1000));
  });

  it("requests with different cache flags do not share", async () => {
    origin.setAsset("/a.bin", assetBytes(100));
    await Promise.all([startLoad(engine, `${origin.url}/a.bin`), startLoad(engine, `${origin.url}/a.bin`, { cache: false })]);
    expect(origin.counts.requests).toBe(2);
  });
});
