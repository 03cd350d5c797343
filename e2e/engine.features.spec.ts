import { engineHas } from "./engines/features.js";
import { engine, expect, test } from "./support/assetWorkerTest.js";
import { recordFigures } from "./support/figures.js";

// What each engine offers the library, checked where it runs: the page, a dedicated worker, a
// service worker. The library needs some without a fallback; the rest it detects, and degrades.

/** Used with no fallback: a browser without them is not supported. */
const REQUIRED = {
  page: ["navigator.serviceWorker", "IndexedDB", "crypto.subtle", "ArrayBuffer transfer"],
  serviceWorker: ["IndexedDB", "crypto.subtle", "ArrayBuffer transfer"],
} as const;

test.describe("engine features the library depends on", () => {
  test.beforeEach(async ({ app }) => {
    await app.open("in-page");
  });

  test("the page and its workers offer what the library needs; what it can do without is recorded", async ({ app }) => {
    const features = await app.page.evaluate(() => window.simvx.probeEngine());
    const moduleWorkers = await app.page.evaluate(() => window.simvx.moduleServiceWorkerInstalls());
    recordFigures({ engine, ...features, moduleServiceWorkerInstalls: moduleWorkers });
    for (const name of REQUIRED.page) expect(features.page[name], `page: ${name}`).toBe(true);
    for (const name of REQUIRED.serviceWorker) expect(features.serviceWorker[name], `service worker: ${name}`).toBe(true);
    // The static table the specs register by agrees with the engine as launched.
    expect(features.page["OPFS getDirectory"]).toBe(engineHas("opfs"));
    expect(features.dedicatedWorker["navigator.serviceWorker"]).toBe(engineHas("serviceWorkerInDedicatedWorkers"));
  });

  test("ImageLoader decodes with ImageBitmapOptions: flipped with imageOrientation flipY, as stored without", async ({ app }) => {
    const plain = await app.page.evaluate(() => window.simvx.decodeWithImageLoader({}));
    const flipped = await app.page.evaluate(() => window.simvx.decodeWithImageLoader({ imageOrientation: "flipY", premultiplyAlpha: "none" }));
    recordFigures({ plain, flipped });
    expect(plain).toEqual({ width: 1, height: 2, top: "red" });
    expect(flipped).toEqual({ width: 1, height: 2, top: "blue" });
  });
});
