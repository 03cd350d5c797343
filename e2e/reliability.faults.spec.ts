import { engineHas } from "./engines/features.js";
import { placeAssets, reloadControlled, requestHistogram } from "./support/assetFixtures.js";
import { expect, test } from "./support/assetWorkerTest.js";
import { startFaultProxy, type FaultProxy } from "./support/faultProxy.js";
import { recordFigures } from "./support/figures.js";
import { expectCrossOriginRevalidation } from "./support/crossOriginRevalidation.js";
import { within } from "./support/within.js";

const ASSETS = 200;
type FaultKind = "500" | "reset" | "truncated" | "stalled";
const KINDS: FaultKind[] = ["500", "reset", "truncated", "stalled"];
/** Long enough that a healthy response on a busy 2-core machine does not count as stalled. */
const STALL_TIMEOUT_MS = 4_000;

/** The fault injected for the asset at `index`: one in ten, the kinds in turn. */
const kindAt = (index: number): FaultKind | undefined => (index % 10 === 5 ? KINDS[Math.floor(index / 10) % KINDS.length] : undefined);

let proxy: FaultProxy;
test.beforeAll(async ({ servers }) => {
  proxy = await startFaultProxy(servers.origin.url);
});
test.afterAll(async () => {
  await proxy.close();
});

test.describe("reliability: a flaky origin under a batch of HTTP assets", () => {
  test.beforeEach(async ({ app }) => {
    await app.open("auto");
    await app.waitForControl();
  });

  test("with 10% of responses failing (500, reset, truncated, stalled), every handle ends, the retried ones load, and the cache holds only whole copies", async ({ app }) => {
    test.setTimeout(120_000);
    const { origin } = app.servers;
    // Every 7th asset has no Content-Length (chunked), so a truncation there is only seen by the
    // framing; an engine that cannot see it (WebKitGTK, see serviceWorker.failures.spec.ts) has its
    // truncations on assets with a length.
    const chunked = (index: number): boolean => index % 7 === 0 && (engineHas("seesCutChunkedBodies") || kindAt(index) !== "truncated");
    const assets = placeAssets(origin, "/faults", ASSETS, 1_024, 16_384, (index) => ({ chunked: chunked(index) }));
    const faulted = new Map<string, FaultKind>();
    for (const [index, asset] of assets.entries()) {
      const kind = kindAt(index);
      if (kind === undefined) continue;
      faulted.set(asset.path, kind);
      // Each fault hits the first request only: the retry is answered whole.
      if (kind === "500") origin.fault(asset.path, { kind: "status", status: 500, times: 1 });
      if (kind === "reset") proxy.reset(asset.path, { afterBytes: Math.floor(asset.size / 3) });
      if (kind === "truncated") origin.fault(asset.path, { kind: "truncate", sendBytes: Math.floor(asset.size / 2), times: 1 });
      if (kind === "stalled") origin.fault(asset.path, { kind: "stall", sendBytes: Math.floor(asset.size / 4), times: 1 });
    }
    const kindOf = (index: number): FaultKind | undefined => faulted.get(assets[index]!.path);
    const urls = assets.map((asset) => `${proxy.url}${asset.path}`);

    await app.page.evaluate(([all, stallTimeoutMs]) => window.simvx.startGroup("faulty", all, { retries: 3, stallTimeoutMs }), [urls, STALL_TIMEOUT_MS] as const);
    const first = await within(90_000, "the faulty batch", app.page.evaluate(() => window.simvx.settleGroup("faulty")));
    const serverStats = await app.page.evaluate(() => window.simvx.serverStats());
    const firstCounts = structuredClone(origin.counts);

    expect(first.batchCompletedEmits).toBe(1);
    for (const [index, report] of first.handles.entries()) {
      expect(report, report.errorText ?? report.uri).toMatchObject({ state: "loaded", servedFrom: "network", completedEmits: 1, sha256: assets[index]!.sha256 });
    }
    // Each faulted asset was retried by the engine (the page heard of it) and asked for again at
    // the origin, and that answer is what loaded.
    for (const [index, report] of first.handles.entries()) {
      const kind = kindOf(index);
      const path = assets[index]!.path;
      if (kind === undefined) continue;
      expect(report.retriesAnnounced, `${kind}: ${path}`).toBeGreaterThanOrEqual(1);
      expect(firstCounts.byPath[path] ?? 0, `${kind}: ${path}`).toBeGreaterThanOrEqual(2);
    }
    expect(proxy.resets).toBe([...faulted.values()].filter((kind) => kind === "reset").length);

    // The store holds every asset, each at its full size.
    const stored = await app.page.evaluate(() => window.simvx.persistentStats());
    expect(stored).toMatchObject({ entries: ASSETS, bytes: assets.reduce((sum, asset) => sum + asset.size, 0) });

    // A new page life (no memory cache): every stored copy is confirmed (by a 304 with no body
    // sent, where the engine's HTTP cache revalidates across origins), and its bytes are the origin's.
    await reloadControlled(app.page);
    origin.reset();
    const second = await within(60_000, "the batch after a reload", app.page.evaluate((all) => window.simvx.loadGroup(all), urls));
    for (const [index, report] of second.entries()) {
      expect(report, report.errorText ?? report.uri).toMatchObject({ state: "loaded", servedFrom: "revalidated", completedEmits: 1, sha256: assets[index]!.sha256 });
    }
    expectCrossOriginRevalidation(origin.counts, ASSETS);

    recordFigures({
      loads: ASSETS,
      faultsInjected: Object.fromEntries(KINDS.map((kind) => [kind, [...faulted.values()].filter((k) => k === kind).length])),
      chunkedAssets: assets.filter((_, index) => chunked(index)).length,
      firstPass: {
        handlesEnded: first.handles.filter((r) => ["loaded", "failed", "cancelled"].includes(r.state)).length,
        loaded: first.handles.filter((r) => r.state === "loaded").length,
        originRequests: firstCounts.requests,
        requestsPerPath: requestHistogram(firstCounts.byPath, assets.map((a) => a.path)),
        originClientAborts: firstCounts.clientAborts,
        proxyResets: proxy.resets,
        retriesAnnounced: serverStats.retries,
      },
      cached: stored,
      afterReload: {
        loaded: second.filter((r) => r.state === "loaded").length,
        revalidated: second.filter((r) => r.servedFrom === "revalidated").length,
        originRequests: origin.counts.requests,
        notModified: origin.counts.notModified,
        bodyBytes: origin.counts.bodyBytes,
      },
    });
  });
});
