import { openControlled, placeAssets, requestHistogram } from "./support/assetFixtures.js";
import { expect, test } from "./support/assetWorkerTest.js";
import { startFaultProxy, type FaultProxy } from "./support/faultProxy.js";
import { recordFigures } from "./support/figures.js";
import type { TestPage } from "./engines/TestPage.js";
import type { GroupStatus } from "./pages/main.js";
import { WORKER_PROGRESS_PACING } from "../sw/workerProgressPacing.js";

const ASSETS = 200;
/** Large enough for the worker to report progress on it (smaller bodies are answered without), so a paused body reports the bytes it got. */
const ASSET_BYTES = WORKER_PROGRESS_PACING.minBytes + 4 * 1024;
/** What a paused response has sent: enough for the worker to report progress to every caller. */
const SENT_BEFORE_RELEASE = 16 * 1024;

let proxy: FaultProxy;
test.beforeAll(async ({ servers }) => {
  proxy = await startFaultProxy(servers.origin.url);
});
test.afterAll(async () => {
  await proxy.close();
});

test.describe("reliability: two tabs loading the same assets", () => {
  test("two tabs loading the same 200 assets at once: each asset is fetched once from the origin, and both tabs get all of them", async ({ app }) => {
    test.setTimeout(90_000);
    const { origin, pageOrigin } = app.servers;
    const assets = placeAssets(origin, "/tabs", ASSETS, ASSET_BYTES, ASSET_BYTES);
    // Each response pauses after its first bytes, so a request cannot finish (and be stored) before
    // both tabs have joined it; it goes on once both tabs have seen its progress.
    for (const asset of assets) proxy.gate(asset.path, SENT_BEFORE_RELEASE);
    const urls = assets.map((asset) => `${proxy.url}${asset.path}`);
    // All 200 loads of a tab go to the worker at once (the browser still opens only 6 connections per origin).
    const tabA = app.page;
    const tabB = await app.session.newPage();
    await openControlled(tabA, pageOrigin);
    await openControlled(tabB, pageOrigin);

    const start = (tab: TestPage): Promise<void> => tab.evaluate((all) => window.simvx.startGroup("tabs", all, { stallTimeoutMs: 60_000 }), urls);
    await Promise.all([start(tabA), start(tabB)]);

    // A tab sees progress for an asset only once its call is inside the worker's request for it:
    // either the request it started, or the one of the other tab that it joined. A request is let
    // go only when both tabs are in it, so whether they shared it shows at the origin alone.
    const released = new Set<string>();
    const status = (tab: TestPage): Promise<GroupStatus> => tab.evaluate(() => window.simvx.groupStatus("tabs"));
    for (;;) {
      const [a, b] = await Promise.all([status(tabA), status(tabB)]);
      if (a.done === ASSETS && b.done === ASSETS) break;
      const inB = new Set(b.progressed);
      for (const uri of a.progressed) {
        const path = new URL(uri).pathname;
        if (!inB.has(uri) || released.has(path)) continue;
        released.add(path);
        proxy.release(path);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const [reportA, reportB] = await Promise.all([tabA.evaluate(() => window.simvx.settleGroup("tabs")), tabB.evaluate(() => window.simvx.settleGroup("tabs"))]);

    const losses = (tab: TestPage): Promise<Array<{ atMs: number; reason: string }>> =>
      tab.evaluate(() => performance.getEntriesByName("simvx-assets:worker-lost").map((mark) => ({ atMs: Math.round(mark.startTime), reason: String((mark as PerformanceMark).detail) })));
    const servedFrom = (handles: typeof reportA.handles): Record<string, number> => handles.reduce<Record<string, number>>((count, h) => ({ ...count, [String(h.servedFrom)]: (count[String(h.servedFrom)] ?? 0) + 1 }), {});
    recordFigures({
      assets: ASSETS,
      servedFrom: { tabA: servedFrom(reportA.handles), tabB: servedFrom(reportB.handles) },
      workerLossesNoticed: { tabA: await losses(tabA), tabB: await losses(tabB) },
      tabs: 2,
      loaded: { tabA: reportA.handles.filter((r) => r.state === "loaded").length, tabB: reportB.handles.filter((r) => r.state === "loaded").length },
      originRequests: origin.counts.requests,
      requestsPerPath: requestHistogram(origin.counts.byPath, assets.map((asset) => asset.path)),
      releasedAfterBothJoined: released.size,
    });
    for (const report of [reportA, reportB]) {
      for (const [index, handle] of report.handles.entries()) {
        expect(handle, handle.errorText ?? handle.uri).toMatchObject({ state: "loaded", servedFrom: "network", completedEmits: 1, sha256: assets[index]!.sha256 });
      }
    }
    for (const asset of assets) expect(origin.counts.byPath[asset.path], asset.path).toBe(1);
    expect(origin.counts.requests).toBe(ASSETS);
    await tabB.close();
  });
});
