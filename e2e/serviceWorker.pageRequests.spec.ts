import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { recordFigures } from "./support/figures.js";
import { attachWorkerHeap, heapPeakDuring } from "./support/workerHeap.js";
import { startAssetWorkerServers, type AssetWorkerServers, INTERCEPT_PATH } from "./support/assetWorkerServers.js";
import { type AssetWorkerApp, expect, needs, test as base } from "./support/assetWorkerTest.js";

// The page's own requests (issue 14): <img>, CSS, <audio>, fetch with Range, PixiJS. The test
// worker intercepts `/intercept/` on the asset origin and on the page's origin (through the proxy).
const test = base.extend<object, { servers: AssetWorkerServers }>({
  servers: [
    // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring.
    async ({}, use) => {
      // PixiJS is pre-bundled: served module by module it is hundreds of requests, and a CommonJS dependency.
      const servers = await startAssetWorkerServers({ optimizeDeps: ["pixi.js"] });
      await use(servers);
      await servers.close();
    },
    { scope: "worker", timeout: 120_000 },
  ],
});

const PNG = readFileSync(new URL("../demo/assets/sprites/hero-idle-0.png", import.meta.url));
const PNG_SIZE = { width: PNG.readUInt32BE(16), height: PNG.readUInt32BE(20) };
const WAV = readFileSync(new URL("../demo/assets/sounds/theme.wav", import.meta.url));
const BYTES = Uint8Array.from({ length: 10_000 }, (_, i) => (i * 7 + 3) & 0xff);

test.describe("the worker answers the page's own requests", () => {
  test.beforeEach(async ({ app }) => {
    await app.open("auto");
    await app.waitForControl();
  });
  test.afterEach(({ app }) => app.servers.origin.setDown(false));

  test("offline, an <img> from another allowed origin loads from the store", async ({ app }) => {
    const { origin } = app.servers;
    origin.setAsset(`${INTERCEPT_PATH}hero.png`, PNG, { contentType: "image/png" });
    const url = `${origin.url}${INTERCEPT_PATH}hero.png`;
    expect(await app.page.evaluate((u) => window.simvx.load(u), url)).toMatchObject({ ok: true, servedFrom: "network" });
    origin.setDown(true);
    origin.reset();
    expect(await app.page.evaluate((u) => window.simvx.showImage(u), url)).toEqual({ ok: true, ...PNG_SIZE });
    expect(origin.counts.requests).toBe(0);
  });

  test("offline, a CSS background-image loads from the store", async ({ app }) => {
    const { origin, sameOriginBase } = app.servers;
    origin.setAsset(`${INTERCEPT_PATH}background.png`, PNG, { contentType: "image/png" });
    const url = `${sameOriginBase}${INTERCEPT_PATH}background.png`;
    expect(await app.page.evaluate((u) => window.simvx.load(u), url)).toMatchObject({ ok: true, servedFrom: "network" });
    origin.setDown(true);
    origin.reset();
    // The worker's answer (its Server-Timing says so): the stored copy, stale since the origin could not confirm it.
    expect(await app.page.evaluate((u) => window.simvx.cssBackground(u), url)).toEqual({ servedFrom: "stale", initiatorType: "css" });
    expect(origin.counts.requests).toBe(0);
  });

  const audioCases = [
    { name: "from the page's origin", crossOrigin: false, corsMode: false },
    { name: "from another origin, with crossorigin", crossOrigin: true, corsMode: true },
  ];
  for (const { name, crossOrigin, corsMode } of audioCases) {
    test(`offline, an <audio> element ${name} seeks to three places in a stored file`, async ({ app }) => {
      await expectAudioSeeksOffline(app, crossOrigin, corsMode);
    });
  }

  needs(["workerAnswersNoCorsMedia"], () => {
    test("offline, an <audio> element from another origin, without crossorigin, seeks to three places in a stored file", async ({ app }) => {
      await expectAudioSeeksOffline(app, true, false);
    });
  });

  test("offline, PixiJS's Assets.load of server.urlOf(uri) loads from the store", async ({ app }) => {
    const { origin } = app.servers;
    origin.setAsset(`${INTERCEPT_PATH}pixi-hero.png`, PNG, { contentType: "image/png" });
    const uri = `${origin.url}${INTERCEPT_PATH}pixi-hero.png`;
    expect(await app.page.evaluate((u) => window.simvx.load(u), uri)).toMatchObject({ ok: true, servedFrom: "network" });
    origin.setDown(true);
    origin.reset();
    const url = await app.page.evaluate((u) => window.simvx.urlOf(u), uri);
    expect(url).toBe(uri);
    expect(await app.page.evaluate((u) => window.simvx.pixiLoad(u), url)).toEqual(PNG_SIZE);
    expect(origin.counts.requests).toBe(0);
  });

  test("an <img> and a load() of one URL at once make one request", async ({ app }) => {
    const { origin } = app.servers;
    const path = `${INTERCEPT_PATH}shared.png`;
    origin.setAsset(path, PNG, { contentType: "image/png" });
    origin.fault(path, { kind: "hold", times: 1 });
    const url = `${origin.url}${path}`;
    await app.page.evaluate((u) => window.simvx.start("load", u), url);
    await app.page.evaluate((u) => window.simvx.startImage("img", u), url);
    await origin.waitForRequests(path, 1);
    // Time for the second of the two to reach the worker and join the request in flight.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    origin.release();
    expect(await app.page.evaluate(() => window.simvx.settle("load"))).toMatchObject({ ok: true, servedFrom: "network", byteLength: PNG.length });
    expect(await app.page.evaluate(() => window.simvx.settleImage("img"))).toEqual({ ok: true, ...PNG_SIZE });
    expect(origin.counts.byPath[path]).toBe(1);
  });

  test("Range requests are answered from the store: single ranges 206, past the end 416, several or malformed the whole body", async ({ app }) => {
    const { origin, sameOriginBase } = app.servers;
    origin.setAsset(`${INTERCEPT_PATH}ranges.bin`, BYTES, { contentType: "application/x-test", cacheControl: "max-age=3600" });
    const url = `${sameOriginBase}${INTERCEPT_PATH}ranges.bin`;
    expect(await app.page.evaluate((u) => window.simvx.load(u), url)).toMatchObject({ ok: true, servedFrom: "network" });
    origin.reset();
    const ask = (range: string | null) => app.page.evaluate(([u, r]) => window.simvx.fetchWithRange(u!, r ?? null), [url, range] as const);
    const head = (from: number) => [...BYTES.subarray(from, from + 8)];
    expect(await ask("bytes=0-1")).toMatchObject({ status: 206, contentRange: "bytes 0-1/10000", contentLength: "2", byteLength: 2, head: head(0).slice(0, 2), servedFrom: "persistent", contentType: "application/x-test", acceptRanges: "bytes" });
    expect(await ask("bytes=9000-")).toMatchObject({ status: 206, contentRange: "bytes 9000-9999/10000", contentLength: "1000", byteLength: 1000, head: head(9000) });
    expect(await ask("bytes=-500")).toMatchObject({ status: 206, contentRange: "bytes 9500-9999/10000", contentLength: "500", byteLength: 500, head: head(9500) });
    expect(await ask("bytes=10000-")).toMatchObject({ status: 416, contentRange: "bytes */10000", byteLength: 0 });
    expect(await ask("bytes=0-1, 5-6")).toMatchObject({ status: 200, contentRange: null, contentLength: "10000", byteLength: 10000 });
    expect(await ask("bytes=nonsense")).toMatchObject({ status: 200, byteLength: 10000 });
    expect(await ask(null)).toMatchObject({ status: 200, contentLength: "10000", byteLength: 10000, head: head(0), servedFrom: "persistent" });
    expect(origin.counts.requests).toBe(0);
  });

  test("a range of something not stored goes to the network as a range request, and the whole file is stored behind it", async ({ app }) => {
    const { origin, sameOriginBase } = app.servers;
    const path = `${INTERCEPT_PATH}unstored.bin`;
    origin.setAsset(path, BYTES, { cacheControl: "max-age=3600" });
    const url = `${sameOriginBase}${path}`;
    const first = await app.page.evaluate((u) => window.simvx.fetchWithRange(u, "bytes=0-1"), url);
    expect(first).toMatchObject({ status: 206, contentRange: "bytes 0-1/10000", byteLength: 2, servedFrom: null });
    expect(origin.counts.rangeRequests).toBeGreaterThanOrEqual(1);
    // The whole file arrives in the store behind the range (one more request, without Range)...
    await expect.poll(async () => (await app.page.evaluate(() => window.simvx.stats())).entries, { timeout: 10_000 }).toBe(1);
    // ...and the next range is the store's.
    const before = origin.counts.byPath[path];
    expect(await app.page.evaluate((u) => window.simvx.fetchWithRange(u, "bytes=2-3"), url)).toMatchObject({ status: 206, contentRange: "bytes 2-3/10000", head: [...BYTES.subarray(2, 4)], servedFrom: "persistent" });
    expect(origin.counts.byPath[path]).toBe(before);
    // How the file came is the browser's HTTP cache's business: Chromium's kept the first range and
    // asked for the rest (bytes=2-9999, after checking that range again); others ask for the whole.
    // No byte of the file comes twice beyond the small ranges.
    expect(origin.counts.bodyBytes).toBeLessThanOrEqual(BYTES.length + 4);
    recordFigures({ originRequests: origin.counts.byPath[path], rangeRequests: origin.counts.rangeRequests, bodyBytes: origin.counts.bodyBytes });
  });

  test("a large body from the network streams through the worker to the page byte for byte, and is stored behind it", async ({ app }) => {
    const { origin, sameOriginBase } = app.servers;
    const path = `${INTERCEPT_PATH}streamed.bin`;
    // Past a store piece (1 MiB), not a whole number of them: the worker streams it (issue 14).
    const size = 5 * 2 ** 20 + 12_345;
    const big = Buffer.alloc(size);
    for (let i = 0; i + 4 <= size; i += 4) big.writeUInt32BE((i * 2_654_435_761) >>> 0, i);
    const sha256 = createHash("sha256").update(big).digest("hex");
    origin.setAsset(path, big, { contentType: "application/x-test", cacheControl: "max-age=3600" });
    const url = `${sameOriginBase}${path}`;
    expect(await app.page.evaluate((u) => window.simvx.fetchWithRange(u, null), url)).toMatchObject({ status: 200, contentLength: String(size), byteLength: size, servedFrom: "network", sha256 });
    await expect.poll(async () => (await app.page.evaluate(() => window.simvx.stats())).entries, { timeout: 30_000 }).toBe(1);
    origin.reset();
    expect(await app.page.evaluate((u) => window.simvx.fetchWithRange(u, null), url)).toMatchObject({ status: 200, byteLength: size, servedFrom: "persistent", sha256 });
    expect(origin.counts.requests).toBe(0);
  });

  test("seeking in a 64 MiB stored file: 1 MiB ranges at three places come from the store", async ({ app }) => {
    const { origin, sameOriginBase } = app.servers;
    const size = 64 * 2 ** 20;
    const film = Buffer.alloc(size);
    for (let i = 0; i < size; i += 4096) film.writeUInt32BE(i, i);
    origin.setAsset(`${INTERCEPT_PATH}film.bin`, film, { contentType: "video/mp4", cacheControl: "max-age=3600" });
    const url = `${sameOriginBase}${INTERCEPT_PATH}film.bin`;
    // The page's own request of the whole file stores it.
    expect(await app.page.evaluate((u) => window.simvx.fetchWithRange(u, null), url)).toMatchObject({ status: 200, byteLength: size, servedFrom: "network" });
    await expect.poll(async () => (await app.page.evaluate(() => window.simvx.stats())).entries, { timeout: 60_000 }).toBe(1);
    origin.reset();
    const seeks = [];
    for (const start of [0, 32 * 2 ** 20 + 4096, size - 2 ** 20]) {
      const range = `bytes=${start}-${start + 2 ** 20 - 1}`;
      const seek = await app.page.evaluate(async ([u, r]) => {
        const began = performance.now();
        const report = await window.simvx.fetchWithRange(u!, r!);
        return { ...report, ms: Math.round(performance.now() - began) };
      }, [url, range] as const);
      expect(seek).toMatchObject({ status: 206, contentRange: `bytes ${start}-${start + 2 ** 20 - 1}/${size}`, byteLength: 2 ** 20, servedFrom: "persistent", head: [...film.subarray(start, start + 8)] });
      seeks.push(seek.ms);
    }
    expect(origin.counts.requests).toBe(0);
    recordFigures({ fileBytes: size, rangeBytes: 2 ** 20, msPerSeek: seeks });
  });

  test("a request outside the rules is not answered by the worker", async ({ app }) => {
    const { origin, sameOriginBase } = app.servers;
    for (let i = 0; i < 20; i++) origin.setAsset(`/outside/plain-${i}.txt`, `plain ${i}`);
    const reports = [];
    for (let i = 0; i < 20; i++) reports.push(await app.page.evaluate((u) => window.simvx.fetchWithRange(u, null), `${sameOriginBase}/outside/plain-${i}.txt`));
    for (const report of reports) expect(report).toMatchObject({ status: 200, servedFrom: null });
    expect(origin.counts.requests).toBe(20);
    const timings = await app.page.evaluate(() => window.simvx.workerTimings("/outside/plain-"));
    const handlerMs = timings.filter((timing) => timing.workerStart > 0).map((timing) => timing.fetchStart - timing.workerStart).sort((a, b) => a - b);
    recordFigures({ requests: timings.length, throughTheWorker: handlerMs.length, handlerMsMedian: handlerMs[Math.floor(handlerMs.length / 2)] ?? null, handlerMsMax: handlerMs.at(-1) ?? null });
  });

  needs(["cdp"], () => {
    test("a 1 MiB range read from a 64 MiB stored file raises the worker's heap by less than 8 MiB", async ({ app }) => {
      const { origin, sameOriginBase } = app.servers;
      const size = 64 * 2 ** 20;
      origin.setAsset(`${INTERCEPT_PATH}heap-film.bin`, Buffer.alloc(size, 7), { contentType: "video/mp4", cacheControl: "max-age=3600" });
      const url = `${sameOriginBase}${INTERCEPT_PATH}heap-film.bin`;
      expect(await app.page.evaluate((u) => window.simvx.fetchWithRange(u, null), url)).toMatchObject({ status: 200, byteLength: size });
      await expect.poll(async () => (await app.page.evaluate(() => window.simvx.stats())).entries, { timeout: 60_000 }).toBe(1);
      // Sampled while the read runs: the highest the worker's heap and ArrayBuffers went.
      const { result: read, baseline, peak } = await heapPeakDuring(await attachWorkerHeap(await app.cdp()), () =>
        app.page.evaluate((u) => window.simvx.fetchWithRange(u, `bytes=${32 * 2 ** 20}-${33 * 2 ** 20 - 1}`), url),
      );
      expect(read).toMatchObject({ status: 206, byteLength: 2 ** 20, servedFrom: "persistent" });
      recordFigures({ baselineBytes: baseline, peakBytes: peak, raisedBytes: peak - baseline });
      expect(peak - baseline).toBeLessThan(8 * 2 ** 20);
    });

    test("a 64 MiB file fetched from the network through the worker raises the worker's heap by less than half its size (streamed, not held whole)", async ({ app }) => {
      const { origin, sameOriginBase } = app.servers;
      const size = 64 * 2 ** 20;
      origin.setAsset(`${INTERCEPT_PATH}heap-streamed.bin`, Buffer.alloc(size, 9), { contentType: "video/mp4", cacheControl: "max-age=3600" });
      const url = `${sameOriginBase}${INTERCEPT_PATH}heap-streamed.bin`;
      // Collected before each sample: the chunks passed on are garbage at once, but V8 frees them
      // lazily, and what counts is what the worker holds, not what it has not yet swept.
      const { result: read, baseline, peak } = await heapPeakDuring(await attachWorkerHeap(await app.cdp()), () => app.page.evaluate((u) => window.simvx.fetchWithRange(u, null), url), { collectEachSample: true });
      expect(read).toMatchObject({ status: 200, byteLength: size, servedFrom: "network" });
      await expect.poll(async () => (await app.page.evaluate(() => window.simvx.stats())).entries, { timeout: 60_000 }).toBe(1);
      recordFigures({ baselineBytes: baseline, peakBytes: peak, raisedBytes: peak - baseline });
      // Held whole, the body alone is 64 MiB (78 MB measured so); streamed, 7.6 to 21.4 MB in Chromium
      // over six runs. Half the file leaves room for that spread and none for a whole-body buffer.
      expect(peak - baseline).toBeLessThan(size / 2);
    });

    test("static routes: with the worker stopped, a request outside the rules does not start it, and one inside does", async ({ app }) => {
      const { origin, sameOriginBase } = app.servers;
      origin.setAsset("/outside/routed.txt", "outside");
      origin.setAsset(`${INTERCEPT_PATH}routed.txt`, "inside");
      const cdp = await app.cdp();
      let runningStatus = "";
      cdp.on("ServiceWorker.workerVersionUpdated", ({ versions }) => {
        for (const version of versions) if (version.status === "activated") runningStatus = version.runningStatus;
      });
      await app.stopWorkers();
      await expect.poll(() => runningStatus).toBe("stopped");
      expect(await app.page.evaluate((u) => window.simvx.fetchWithRange(u, null), `${sameOriginBase}/outside/routed.txt`)).toMatchObject({ status: 200, servedFrom: null });
      // Time for a worker start to show, had the request started one.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(runningStatus).toBe("stopped");
      expect(await app.page.evaluate((u) => window.simvx.fetchWithRange(u, null), `${sameOriginBase}${INTERCEPT_PATH}routed.txt`)).toMatchObject({ status: 200, servedFrom: "network" });
      expect(runningStatus).toBe("running");
    });
  });
});
/** Stores the music with a load(), takes the origin down, and seeks an <audio> element to three places. */
async function expectAudioSeeksOffline(app: AssetWorkerApp, crossOrigin: boolean, corsMode: boolean): Promise<void> {
  const { origin, sameOriginBase } = app.servers;
  const path = `${INTERCEPT_PATH}theme-${crossOrigin ? "cross" : "same"}-${corsMode ? "cors" : "no-cors"}.wav`;
  origin.setAsset(path, WAV, { contentType: "audio/wav" });
  const url = `${crossOrigin ? origin.url : sameOriginBase}${path}`;
  expect(await app.page.evaluate((u) => window.simvx.load(u), url)).toMatchObject({ ok: true, servedFrom: "network" });
  origin.setDown(true);
  origin.reset();
  const report = await app.page.evaluate(([u, mode]) => window.simvx.audioSeeks(u!, [1, 3.5, 5.5], 20_000, mode === "cors" ? "anonymous" : null), [url, corsMode ? "cors" : "no-cors"] as const);
  recordFigures({ duration: report.duration, seeks: report.seeks, error: report.error });
  expect(report.error).toBeNull();
  expect(report.duration).toBeCloseTo(6.4, 1);
  expect(report.seeks.map((seek) => Math.round(seek.at * 2) / 2)).toEqual([1, 3.5, 5.5]);
  expect(origin.counts.requests).toBe(0);
}
