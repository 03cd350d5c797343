import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FetchEngine } from "../engine/FetchEngine.js";
import { MemoryStore } from "../engine/MemoryStore.js";
import { startTestOrigin, type TestOrigin } from "../../test/support/engine/testOrigin.js";
import { InPageBackend } from "../transport/InPageBackend.js";
import { AssetServer } from "./AssetServer.js";
import { LoadWatcher } from "../../test/support/core/LoadWatcher.js";

// One batch of 10,000 mem:// assets and 2,000 HTTP assets (real test origin) under a small memory
// budget. No timing assertion (shared machine); the figures are printed for the report.

const MEM_ASSETS = 10_000;
const HTTP_ASSETS = 2_000;
const CACHE_BYTES = 64 * 1024;
/** Loaders the soak's suffixes reach, each with its own budget: JSON, text, bytes. */
const LOADERS_USED = 3;

let origin: TestOrigin;

beforeAll(async () => {
  origin = await startTestOrigin();
  for (let i = 0; i < HTTP_ASSETS; i += 1) {
    origin.setAsset(i % 2 === 0 ? `/soak/${i}.bin` : `/soak/${i}.txt`, i % 2 === 0 ? new Uint8Array(512 + (i % 7) * 100).fill(i & 0xff) : `text asset ${i} `.repeat(20));
  }
});

afterAll(async () => {
  await origin.close();
});

describe("soak", () => {
  it("one batch of 10,000 mem:// and 2,000 HTTP assets completes, every child loaded, memory caches within budget", async () => {
    const engine = new FetchEngine({ store: new MemoryStore() });
    const server = new AssetServer({ httpBackend: new InPageBackend(engine), autoFlush: false, cacheBytes: CACHE_BYTES, maxWorkers: 8 });
    const watcher = new LoadWatcher(server);
    const uris: string[] = [];
    for (let i = 0; i < MEM_ASSETS; i += 1) {
      const kind = i % 3;
      const key = kind === 0 ? `soak/${i}.json` : kind === 1 ? `soak/${i}.txt` : `soak/${i}.bin`;
      server.mem.set(key, kind === 0 ? { id: i, tags: ["a", "b"] } : kind === 1 ? `mem text ${i}` : new Uint8Array(64).fill(i & 0xff));
      uris.push(`mem://${key}`);
    }
    for (let i = 0; i < HTTP_ASSETS; i += 1) uris.push(`${origin.url}/soak/${i}.${i % 2 === 0 ? "bin" : "txt"}`);

    const heapBefore = process.memoryUsage().heapUsed;
    const started = performance.now();
    const batch = watcher.batch(server.loadGroup(uris));
    const itemsSeen = { count: 0 };
    batch.itemCompleted.connect(() => (itemsSeen.count += 1));
    let flushes = 0;
    let slowestFlushMs = 0;
    let peakCacheBytes = 0;
    let overBudget = 0;
    const deadline = Date.now() + 120_000;
    while (!batch.isDone && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      const flushStarted = performance.now();
      server.flush();
      slowestFlushMs = Math.max(slowestFlushMs, performance.now() - flushStarted);
      flushes += 1;
      const cached = server.memoryCacheBytes();
      peakCacheBytes = Math.max(peakCacheBytes, cached);
      if (cached > LOADERS_USED * CACHE_BYTES) overBudget += 1;
      if (flushes % 50 === 0) watcher.afterFlush();
    }
    const elapsedMs = performance.now() - started;
    watcher.afterFlush();
    const heapAfter = process.memoryUsage().heapUsed;

    expect(batch.isDone).toBe(true);
    expect(batch.total).toBe(MEM_ASSETS + HTTP_ASSETS);
    expect(batch.completedCount).toBe(MEM_ASSETS + HTTP_ASSETS);
    expect(batch.failedCount).toBe(0);
    expect(batch.handles.filter((handle) => handle.state !== "loaded").map((handle) => `${handle.uri}: ${handle.error?.code}`).slice(0, 5)).toEqual([]);
    expect(itemsSeen.count).toBe(MEM_ASSETS + HTTP_ASSETS);
    expect(watcher.checkAllEnded()).toEqual([]);
    expect(overBudget).toBe(0);
    // The caches were used, up to their budget, not skipped.
    expect(peakCacheBytes).toBeGreaterThan(CACHE_BYTES);
    expect(origin.counts.requests).toBe(HTTP_ASSETS);
    const stats = await engine.stats();
    console.info(
      `soak: ${MEM_ASSETS} mem + ${HTTP_ASSETS} http in ${elapsedMs.toFixed(0)} ms, ${flushes} flushes (slowest ${slowestFlushMs.toFixed(1)} ms), ` +
        `memory caches peak ${peakCacheBytes} B (budget ${CACHE_BYTES} B x ${LOADERS_USED} loaders), final ${server.memoryCacheBytes()} B, ` +
        `persistent ${stats.ok ? `${stats.value.entries} entries / ${stats.value.bytes} B` : "n/a"}, heap ${((heapAfter - heapBefore) / 2 ** 20).toFixed(1)} MiB more`,
    );
    server.dispose();
  }, 150_000);
});
