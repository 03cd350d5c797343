import { placeAssets, requestHistogram } from "./support/assetFixtures.js";
import { expect, needs, test } from "./support/assetWorkerTest.js";
import { startFaultProxy, type FaultProxy } from "./support/faultProxy.js";
import { recordFigures } from "./support/figures.js";
import { within } from "./support/within.js";

const ASSETS = 500;
const STOPS = 5;
/**
 * Every response waits this long at the proxy. With the browser's 6 connections per host the
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

  // Stops at chosen moments, each timed from the DevTools command to the page noticing it.
  needs(["cdp"], () => {
    test("500 assets with the worker stopped after every 1-1.5 s of uptime: all 500 load, completed fires once for each", async ({ app }) => {
      test.setTimeout(150_000);
      const { origin } = app.servers;
      const assets = placeAssets(origin, "/stops", ASSETS, 256, 2_048);
      const urls = assets.map((asset) => `${proxy.url}${asset.path}`);
      const cdp = await app.cdp();
      let workerStarts = 0;
      let onRunning = (): void => undefined;
      let onStarting = (): void => undefined;
      cdp.on("ServiceWorker.workerVersionUpdated", ({ versions }) => {
        if (versions.some((version) => version.runningStatus === "starting")) {
          workerStarts += 1;
          onStarting();
        }
        if (versions.some((version) => version.runningStatus === "running")) onRunning();
      });
      const nextRun = (): Promise<void> => new Promise<void>((resolve) => (onRunning = resolve));
      const nextStart = (): Promise<void> => new Promise<void>((resolve) => (onStarting = resolve));

      await app.page.evaluate((all) => window.simvx.startGroup("stops", all), urls);
      const doneAtStop: number[] = [];
      // From a stop to the worker starting again: only the page's resent reads start it, so this is
      // how long the page took to notice the stop, plus one wake message.
      const restartAfterStopMs: number[] = [];
      const noticedAfterStopMs: Array<number | null> = [];
      // The worker is running now (it controls the page and took the first calls).
      let running: Promise<void> = Promise.resolve();
      while (doneAtStop.length < STOPS) {
        await running;
        await new Promise((resolve) => setTimeout(resolve, 1_000 + Math.random() * 500));
        const status = await app.page.evaluate(() => window.simvx.groupStatus("stops"));
        if (status.done === status.total) break;
        running = nextRun();
        const started = nextStart();
        const stoppedAt = Date.now();
        const stoppedAtInPage = await app.page.evaluate(() => performance.now());
        await app.stopWorkers();
        doneAtStop.push(status.done);
        await started;
        restartAfterStopMs.push(Date.now() - stoppedAt);
        // The backend marks the page's timeline when it notices a loss; the first mark after the
        // stop (measured from before the CDP command went out) is how long the page took.
        noticedAfterStopMs.push(
          await app.page.evaluate((since) => {
            const mark = performance.getEntriesByName("simvx-assets:worker-lost").find((entry) => entry.startTime >= since);
            return mark === undefined ? null : Math.round(mark.startTime - since);
          }, stoppedAtInPage),
        );
      }
      const report = await app.page.evaluate(() => window.simvx.settleGroup("stops", 1_000));

      recordFigures({
        loads: ASSETS,
        stops: doneAtStop.length,
        handlesDoneAtEachStop: doneAtStop,
        noticedAfterStopMs,
        restartAfterStopMs,
        workerStartsSeen: workerStarts,
        loaded: report.handles.filter((r) => r.state === "loaded").length,
        failed: report.handles.filter((r) => r.state !== "loaded").reduce<Record<string, number>>((count, r) => ({ ...count, [String(r.code)]: (count[String(r.code)] ?? 0) + 1 }), {}),
        completedEmitsPerHandle: requestHistogram(Object.fromEntries(report.handles.map((r) => [r.uri, r.completedEmits])), report.handles.map((r) => r.uri)),
        batchCompletedEmits: report.batchCompletedEmits,
        originRequests: origin.counts.requests,
        requestsPerPath: requestHistogram(origin.counts.byPath, assets.map((asset) => asset.path)),
      });
      // Every stop landed inside the batch (see LATENCY_MS), with reads in flight: each was noticed.
      expect(doneAtStop).toHaveLength(STOPS);
      expect(noticedAfterStopMs.every((ms) => ms !== null)).toBe(true);
      expect(report.batchCompletedEmits).toBe(1);
      // A read cut by a stop is sent again to the restarted worker, as often as it takes (issue 10):
      // every handle loads the origin's bytes, exactly once.
      for (const [index, handle] of report.handles.entries()) {
        expect(handle, handle.errorText ?? handle.uri).toMatchObject({ state: "loaded", completedEmits: 1, sha256: assets[index]!.sha256 });
      }
    });
  });

  // The browser's own stops: Firefox stops a worker that a batch keeps busy once its extended
  // idle timeout has passed, again and again while the batch lasts (see e2e/engines/firefoxEngine.ts).
  needs(["idleWorkerStops"], () => {
    test("500 assets while the browser keeps stopping the busy worker by itself: all 500 load, completed fires once for each", async ({ app }) => {
      test.setTimeout(150_000);
      const { origin } = app.servers;
      const assets = placeAssets(origin, "/idle-stops", ASSETS, 256, 2_048);
      const urls = assets.map((asset) => `${proxy.url}${asset.path}`);
      const cutBefore = proxy.cut;
      const started = Date.now();
      await app.page.evaluate((all) => window.simvx.startGroup("idle-stops", all), urls);
      const report = await within(120_000, "the batch", app.page.evaluate(() => window.simvx.settleGroup("idle-stops", 1_000)));
      const seconds = (Date.now() - started) / 1000;
      const noticedLosses = await app.page.evaluate(() => performance.getEntriesByName("simvx-assets:worker-lost").length);
      recordFigures({
        loads: ASSETS,
        seconds: Math.round(seconds * 10) / 10,
        busyLimitMs: app.session.workerStops?.kind === "idle-timeout" ? app.session.workerStops.busyLimitMs : null,
        stopsNoticedByThePage: noticedLosses,
        requestsCutAtTheProxy: proxy.cut - cutBefore,
        loaded: report.handles.filter((r) => r.state === "loaded").length,
        completedEmitsPerHandle: requestHistogram(Object.fromEntries(report.handles.map((r) => [r.uri, r.completedEmits])), report.handles.map((r) => r.uri)),
        batchCompletedEmits: report.batchCompletedEmits,
        originRequests: origin.counts.requests,
        requestsPerPath: requestHistogram(origin.counts.byPath, assets.map((asset) => asset.path)),
      });
      // The batch outlived the worker: requests in flight were cut at the proxy (the browser's
      // doing, seen outside it), and the page noticed each stop.
      expect(proxy.cut - cutBefore).toBeGreaterThan(0);
      expect(noticedLosses).toBeGreaterThan(0);
      expect(report.batchCompletedEmits).toBe(1);
      for (const [index, handle] of report.handles.entries()) {
        expect(handle, handle.errorText ?? handle.uri).toMatchObject({ state: "loaded", completedEmits: 1, sha256: assets[index]!.sha256 });
      }
    });
  });

  needs(["workerStops"], () => {
    test("a load survives the worker being stopped twice while it is in flight", async ({ app }) => {
      const { origin } = app.servers;
      const path = "/stops/twice.txt";
      origin.setAsset(path, "after two stops");
      // The first two requests are held, so the worker dies with each of them in flight.
      origin.fault(path, { kind: "hold", times: 2 });
      await app.page.evaluate((url) => window.simvx.startGroup("twice", [url]), `${origin.url}${path}`);
      await origin.waitForRequests(path, 1);
      await app.stopWorkers();
      // The read was sent again to a restarted worker; stop that one too.
      await origin.waitForRequests(path, 2);
      await app.stopWorkers();
      const report = await within(30_000, "the load after two stops", app.page.evaluate(() => window.simvx.settleGroup("twice")));
      recordFigures({ stops: 2, state: report.handles[0]?.state, code: report.handles[0]?.code, originRequests: origin.counts.byPath[path] });
      expect(report.handles[0], report.handles[0]?.errorText ?? "").toMatchObject({ state: "loaded", value: "after two stops", completedEmits: 1 });
      expect(origin.counts.byPath[path]).toBe(3);
    });
  });
});
