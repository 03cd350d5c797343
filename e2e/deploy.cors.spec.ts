import { startTestOrigin, type TestOrigin } from "../test/support/engine/testOrigin.js";
import { type AssetWorkerApp, expect, test } from "./support/assetWorkerTest.js";
import { needs } from "./support/engineTest.js";
import { recordFigures } from "./support/figures.js";

// Issue 12: an origin set up as the README says (Access-Control-Allow-Origin and
// Access-Control-Expose-Headers: ETag, nothing more; OPTIONS refused with 405, as stock nginx does)
// must revalidate with one request per asset and no preflight, and a CORS refusal must say so.
let stock: TestOrigin;
let noCors: TestOrigin;
test.beforeAll(async () => {
  stock = await startTestOrigin({ cors: "stock" });
  noCors = await startTestOrigin({ cors: "none" });
});
test.afterAll(async () => {
  await stock.close();
  await noCors.close();
});

test.describe("deploy anywhere: cross-origin assets from a stock static server", () => {
  test.beforeEach(async ({ app }) => {
    stock.reset();
    noCors.reset();
    await app.open("auto");
    await app.waitForControl();
  });

  for (const etagKind of ["strong", "weak"] as const) {
    test(`20 assets with ${etagKind} ETags revalidate with no preflight, served "revalidated"; a changed one arrives`, async ({ app }) => {
      const { revalidation, afterOneChanged } = await revalidateTwenty(app, etagKind);
      expect(revalidation.preflights).toBe(0);
      expect(revalidation.requests).toBe(20);
      expect(afterOneChanged.preflights).toBe(0);
      recordFigures({ etags: etagKind, assets: 20, revalidation, afterOneChanged });
    });
  }

  // Where the browser's HTTP cache revalidates for us, the wire shows the SPEC's figure exactly.
  needs(["httpCacheRevalidation"], () => {
    test("the same revalidation costs one conditional request per asset, 304, no body bytes", async ({ app }) => {
      const { revalidation } = await revalidateTwenty(app, "weak");
      expect(revalidation).toMatchObject({ preflights: 0, requests: 20, conditionalRequests: 20, notModified: 20, bodyBytes: 0 });
    });
  });

  test("an origin without CORS headers fails at once with NETWORK naming CORS: no retry, no stale copy", async ({ app }) => {
    noCors.setAsset("/refused.txt", "not for scripts");
    const url = `${noCors.url}/refused.txt`;
    const report = await app.page.evaluate((u) => window.simvx.load(u, { retries: 2 }), url);
    expect(report).toMatchObject({ ok: false, name: "AssetError", code: "NETWORK", via: "service-worker" });
    expect(report.ok || report.message).toContain("CORS");
    expect(report.ok || report.message).toContain("Access-Control-Allow-Origin");
    // One GET, and the two HEADs (CORS, then no-cors) that told a refusal from a network failure: no retries.
    expect(noCors.counts.byPath["/refused.txt"]).toBe(3);
    expect(noCors.counts.heads).toBe(2);
    recordFigures({ originRequests: noCors.counts.requests, heads: noCors.counts.heads, message: report.ok ? null : report.message });
  });
});

/**
 * Loads 20 assets from the stock origin, then again (what the origin saw is `revalidation`), then
 * once more after one changed (`afterOneChanged`), checking what every load served.
 */
async function revalidateTwenty(app: AssetWorkerApp, etagKind: "strong" | "weak") {
  const paths = Array.from({ length: 20 }, (_, i) => `/stock-${etagKind}/a${i}.txt`);
  const etag = (path: string, revision: number): string => (etagKind === "weak" ? `W/"${path}-${revision}"` : `"${path}-${revision}"`);
  for (const path of paths) stock.setAsset(path, `first ${path}`, { etag: etag(path, 1) });
  const urls = paths.map((path) => `${stock.url}${path}`);

  const first = await app.page.evaluate((all) => window.simvx.loadAll(all), urls);
  expect(first.every((report) => report.ok && report.via === "service-worker" && report.servedFrom === "network")).toBe(true);
  stock.reset();

  const second = await app.page.evaluate((all) => window.simvx.loadAll(all), urls);
  for (const [index, report] of second.entries()) {
    expect(report, paths[index]).toMatchObject({ ok: true, servedFrom: "revalidated", text: `first ${paths[index]}` });
  }
  const revalidation = { ...stock.counts };

  stock.reset();
  stock.setAsset(paths[3]!, "second version", { etag: etag(paths[3]!, 2) });
  const third = await app.page.evaluate((all) => window.simvx.loadAll(all), urls);
  expect(third[3]).toMatchObject({ ok: true, servedFrom: "network", text: "second version" });
  expect(third.filter((report) => report.ok && report.servedFrom === "revalidated")).toHaveLength(19);
  return { revalidation, afterOneChanged: { ...stock.counts } };
}
