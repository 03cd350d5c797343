import { placeAssets, reloadControlled } from "./support/assetFixtures.js";
import { expect, needs, test } from "./support/assetWorkerTest.js";
import { recordFigures } from "./support/figures.js";
import { within } from "./support/within.js";

const QUOTA_BYTES = 512 * 1024;
const ASSETS = 48;
const ASSET_BYTES = 32 * 1024;

test.describe("reliability: a tiny storage quota", () => {
  test.beforeEach(async ({ app }) => {
    await app.open("auto");
    await app.waitForControl();
  });

  // The quota is set, and the usage read, through the DevTools protocol.
  needs(["cdp"], () => {
    test("with a 512 KB quota, 1.5 MB of assets all load, and the IndexedDB store stays within the quota", async ({ app }) => {
      const { origin, pageOrigin } = app.servers;
      // Random bytes: IndexedDB compresses values, and compressible assets would hardly use any quota.
      const assets = placeAssets(origin, "/quota", ASSETS, ASSET_BYTES, ASSET_BYTES);
      const urls = assets.map((asset) => `${origin.url}${asset.path}`);
      const cdp = await app.cdp();
      await cdp.send("Storage.overrideQuotaForOrigin", { origin: pageOrigin, quotaSize: QUOTA_BYTES });
      // navigator.storage.estimate() keeps reporting the disk's quota; the quota manager says what it enforces.
      const before = await cdp.send("Storage.getUsageAndQuota", { origin: pageOrigin });
      expect(before).toMatchObject({ quota: QUOTA_BYTES, overrideActive: true });

      const first = await within(60_000, "the batch under the quota", app.page.evaluate((all) => window.simvx.loadGroup(all), urls));
      for (const [index, report] of first.entries()) {
        expect(report, report.errorText ?? report.uri).toMatchObject({ state: "loaded", servedFrom: "network", sha256: assets[index]!.sha256 });
      }
      const stored = await app.page.evaluate(() => window.simvx.persistentStats());
      const estimate = await app.page.evaluate(() => window.simvx.storageEstimate());
      const enforced = await cdp.send("Storage.getUsageAndQuota", { origin: pageOrigin });
      const idbUsage = enforced.usageBreakdown.find((entry) => entry.storageType === "indexeddb")?.usage ?? 0;
      // The cache kept some assets, and no more than the quota holds.
      expect(stored?.entries ?? 0).toBeGreaterThan(0);
      expect(stored!.entries).toBeLessThan(ASSETS);
      expect(stored!.bytes).toBeLessThanOrEqual(QUOTA_BYTES);
      expect(estimate.usage ?? Number.POSITIVE_INFINITY).toBeLessThanOrEqual(QUOTA_BYTES);
      expect(enforced.usage).toBeLessThanOrEqual(QUOTA_BYTES);

      // A new page life: what was kept is served after a 304, what was evicted comes again; all
      // whole. Newest first: in the first order a least-recently-used cache smaller than the set
      // would evict each kept asset just before it is asked for.
      await reloadControlled(app.page);
      origin.reset();
      const newestFirst = [...assets].reverse();
      const second = await within(
        60_000,
        "the batch after a reload",
        app.page.evaluate((all) => window.simvx.loadGroup(all), newestFirst.map((asset) => `${origin.url}${asset.path}`)),
      );
      for (const [index, report] of second.entries()) {
        expect(report, report.errorText ?? report.uri).toMatchObject({ state: "loaded", sha256: newestFirst[index]!.sha256 });
        expect(["revalidated", "network"]).toContain(report.servedFrom);
      }
      const revalidated = second.filter((report) => report.servedFrom === "revalidated").length;
      expect(revalidated).toBeGreaterThan(0);
      // Only kept assets can be revalidated. (The origin's 304 count says nothing here: the browser's
      // own HTTP cache revalidates the evicted ones before handing the worker a 200.)
      expect(revalidated).toBeLessThanOrEqual(stored!.entries);
      const after = await cdp.send("Storage.getUsageAndQuota", { origin: pageOrigin });
      expect(after.usage).toBeLessThanOrEqual(QUOTA_BYTES);

      recordFigures({
        quotaBytes: QUOTA_BYTES,
        assets: ASSETS,
        assetBytesTotal: ASSETS * ASSET_BYTES,
        firstPass: { loaded: first.filter((r) => r.state === "loaded").length },
        cachedAfterFirstPass: stored,
        usageAfterFirstPass: { estimate: estimate.usage, quotaManager: enforced.usage, indexedDb: idbUsage, serviceWorkerScripts: enforced.usageBreakdown.find((entry) => entry.storageType === "service_workers")?.usage },
        afterReload: {
          loaded: second.filter((r) => r.state === "loaded").length,
          revalidated,
          network: second.filter((r) => r.servedFrom === "network").length,
          originRequests: origin.counts.requests,
          originNotModified: origin.counts.notModified,
          usage: after.usage,
        },
      });
    });
  });
});
