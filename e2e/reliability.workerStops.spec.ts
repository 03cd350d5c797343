import { placeAssets, requestHistogram } from "./support/assetFixtures.js";
import { expect, test } from "./support/assetWorkerTest.js";
import { startFaultProxy, type FaultProxy } from "./support/faultProxy.js";
import { recordFigures } from "./support/figures.js";
import { within } from "./support/within.js";

const ASSETS = 500;
const STOPS = 5;
/**
 * Every response waits this long at the proxy. With the AssetServer's 6 reads at a time the
 * batch loads at most 6 / 0.1 s = 60 assets a second of worker uptime, so 500 assets need more
 * than 8 s of it: the 5 stops, each after 1-1.5 s of uptime, all land inside the batch however
 * fast the machine is.
 */
const LATENCY_MS: [number, number] = [100, 120];

let proxy: FaultProxy;
test.beforeAll(async ({ servers }) => {
  proxy = await startFaultProxy(servers.origin.url);
  proxy.latency(...LATENCY_MS);
});
test.afterAll(async () => {
  await proxy.close();
});

test.describe("reliability: a worker stopped again and again during a batch", () => {
  test.beforeEach(async ({ app }) => {
    await app.open("auto");
    await app.waitForControl();
  });

  test("500 assets with the worker stopped after every 1-1.5 s of uptime: all 500 handles end, completed fires once for each", async ({ app }) => {
    test.setTimeout(150_000);
    const { origin } = app.servers;
    const assets = placeAssets(origin, "/stops", ASSETS, 256, 2_048);
    const urls = assets.map((asset) => `${proxy.url}${asset.path}`);
    const cdp = await app.cdp();
    let workerStarts = 0;
    let onRunning = (): void => undefined;
    cdp.on("ServiceWorker.workerVersionUpdated", ({ versions }) => {
      if (versions.some((version) => version.runningStatus === "starting")) workerStarts += 1;
      if (versions.some((version) => version.runningStatus === "running")) onRunning();
    });
    const nextRun = (): Promise<void> => new Promise<void>((resolve) => (onRunning = resolve));

    await app.page.evaluate((all) => window.simvx.startGroup("stops", all), urls);
    const doneAtStop: number[] = [];
    // The worker is running now (it controls the page and took the first calls).
    let running: Promise<void> = Promise.resolve();
    while (doneAtStop.length < STOPS) {
      await running;
      await app.page.waitForTimeout(1_000 + Math.random() * 500);
      const status = await app.page.evaluate(() => window.simvx.groupStatus("stops"));
      if (status.done === status.total) break;
      running = nextRun();
      await app.stopWorkers();
      doneAtStop.push(status.done);
    }
    const report = await app.page.evaluate(() => window.simvx.settleGroup("stops", 1_000));

    recordFigures({
      loads: ASSETS,
      stops: doneAtStop.length,
      handlesDoneAtEachStop: doneAtStop,
      workerStartsSeen: workerStarts,
      handlesEnded: report.handles.filter((r) => ["loaded", "failed", "cancelled"].includes(r.state)).length,
      loaded: report.handles.filter((r) => r.state === "loaded").length,
      failed: report.handles.filter((r) => r.state !== "loaded").reduce<Record<string, number>>((count, r) => ({ ...count, [String(r.code)]: (count[String(r.code)] ?? 0) + 1 }), {}),
      completedEmitsPerHandle: requestHistogram(Object.fromEntries(report.handles.map((r) => [r.uri, r.completedEmits])), report.handles.map((r) => r.uri)),
      batchCompletedEmits: report.batchCompletedEmits,
      originRequests: origin.counts.requests,
      requestsPerPath: requestHistogram(origin.counts.byPath, assets.map((asset) => asset.path)),
    });
    // Every stop landed inside the batch (see LATENCY_MS).
    expect(doneAtStop).toHaveLength(STOPS);
    expect(report.batchCompletedEmits).toBe(1);
    // A call cut by a stopped worker is retried once on the restarted worker (issue 3); when the
    // stops come this fast a retry can be cut too, and that load ends WORKER_LOST. Every handle
    // must end exactly once, loaded with the origin's bytes or with that one code.
    for (const [index, handle] of report.handles.entries()) {
      if (handle.state === "loaded") {
        expect(handle, handle.uri).toMatchObject({ completedEmits: 1, sha256: assets[index]!.sha256 });
      } else {
        expect(handle, handle.errorText ?? handle.uri).toMatchObject({ state: "failed", code: "WORKER_LOST", completedEmits: 1 });
      }
    }
  });

  // KNOWN PRODUCT LIMITATION, hence test.fail(): remove it once this passes. ServiceWorkerBackend
  // retries a call cut off by a stopped worker exactly once; a call cut off a second time (the
  // retry also in flight when the worker stops again) fails with WORKER_LOST, however much of
  // the load's own timeout is left. Stopped every 1-1.5 s whatever its uptime, a 500-asset batch
  // lost 7 loads this way (and 124 more to their 120 s timeout: each stop is noticed only by the
  // 4 s heartbeat, Chromium firing no close event on the call's port).
  test("a load survives the worker being stopped twice while it is in flight", async ({ app }) => {
    test.fail();
    const { origin } = app.servers;
    const path = "/stops/twice.txt";
    origin.setAsset(path, "after two stops");
    // The first two requests are held, so the worker dies with each of them in flight.
    origin.fault(path, { kind: "hold", times: 2 });
    await app.page.evaluate((url) => window.simvx.startGroup("twice", [url]), `${origin.url}${path}`);
    await origin.waitForRequests(path, 1);
    await app.stopWorkers();
    // The call was retried on a restarted worker; stop that one too.
    await origin.waitForRequests(path, 2);
    await app.stopWorkers();
    const report = await within(30_000, "the load after two stops", app.page.evaluate(() => window.simvx.settleGroup("twice")));
    recordFigures({ stops: 2, state: report.handles[0]?.state, code: report.handles[0]?.code, originRequests: origin.counts.byPath[path] });
    expect(report.handles[0], report.handles[0]?.errorText ?? "").toMatchObject({ state: "loaded", value: "after two stops", completedEmits: 1 });
    expect(origin.counts.byPath[path]).toBe(3);
  });
});
