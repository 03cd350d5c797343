import { engineHas } from "./engines/features.js";
import { expect, needs, test } from "./support/assetWorkerTest.js";

test.describe("service worker backend: who serves the page", () => {
  test("the dev server serves /asset-sw.js as one classic script that may control the whole origin", async ({ app }) => {
    const response = await fetch(`${app.servers.pageOrigin}/asset-sw.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get("service-worker-allowed")).toBe("/");
    expect(response.headers.get("cache-control")).toBe("no-cache");
    expect(response.headers.get("content-type")).toMatch(/javascript/);
    const code = await response.text();
    expect(/^\s*import[\s{]/m.test(code) || /^\s*export\s/m.test(code)).toBe(false);
  });

  test("a first visit loads in the page, and once the worker controls the page loads go through it", async ({ app }) => {
    const { origin } = app.servers;
    origin.setAsset("/control/first.txt", "first visit");

    // The worker script is held back, so the worker cannot take over before the first load.
    const workerScript = app.servers.holdWorkerScript();
    await app.open("auto");
    const first = await app.page.evaluate((url) => window.simvx.load(url), `${origin.url}/control/first.txt`);
    expect(first).toMatchObject({ ok: true, via: "in-page", text: "first visit", servedFrom: "network" });
    // The page itself made the one request the origin saw (a worker's fetches are not on the page's timeline).
    expect(await app.page.evaluate(() => window.simvx.pageRequests("/control/"))).toEqual([`${origin.url}/control/first.txt`]);
    expect(origin.counts.byPath["/control/first.txt"]).toBe(1);
    workerScript.release();

    await app.waitForControl();
    expect(await app.page.evaluate(() => window.simvx.kind())).toBe("service-worker");
    origin.setAsset("/control/second.txt", "through the worker");
    const second = await app.page.evaluate((url) => window.simvx.load(url), `${origin.url}/control/second.txt`);
    expect(second).toMatchObject({ ok: true, via: "service-worker", text: "through the worker", servedFrom: "network" });
    // The origin saw the request, and the page did not make it: the worker did.
    expect(origin.counts.byPath["/control/second.txt"]).toBe(1);
    expect(await app.page.evaluate(() => window.simvx.pageRequests("/control/"))).toEqual([`${origin.url}/control/first.txt`]);
  });

  test("what the page stored before the worker took over is served by the worker (one shared store)", async ({ app }) => {
    const { origin } = app.servers;
    origin.setAsset("/control/shared.txt", "stored by the page");
    await app.open("in-page");
    const inPage = await app.page.evaluate((url) => window.simvx.load(url), `${origin.url}/control/shared.txt`);
    expect(inPage).toMatchObject({ ok: true, via: "in-page", servedFrom: "network" });

    await app.open("service-worker");
    const viaWorker = await app.page.evaluate((url) => window.simvx.load(url), `${origin.url}/control/shared.txt`);
    expect(viaWorker).toMatchObject({ ok: true, via: "service-worker", text: "stored by the page", servedFrom: "revalidated" });
    expect(origin.counts.byPath["/control/shared.txt"]).toBe(2);
    // The second request revalidated the page's stored copy (across origins: see the helper).
    expect(origin.counts.notModified).toBe(engineHas("httpCacheRevalidation") ? 1 : 0);
  });

  test('"service-worker" mode waits for the worker on a first visit and then loads through it', async ({ app }) => {
    const { origin } = app.servers;
    origin.setAsset("/control/sw-mode.txt", "worker only");
    await app.open("service-worker");
    const report = await app.page.evaluate((url) => window.simvx.load(url), `${origin.url}/control/sw-mode.txt`);
    expect(report).toMatchObject({ ok: true, text: "worker only", servedFrom: "network" });
    expect(await app.page.evaluate(() => window.simvx.kind())).toBe("service-worker");
  });

  needs(["hardReload"], () => {
    test("after a hard reload (uncontrolled page) loads keep working, in the page, from the shared store", async ({ app }) => {
      const { origin } = app.servers;
      origin.setAsset("/control/reload.txt", "survives a hard reload");
      await app.open("auto");
      await app.waitForControl();
      const before = await app.page.evaluate((url) => window.simvx.load(url), `${origin.url}/control/reload.txt`);
      expect(before).toMatchObject({ ok: true, servedFrom: "network" });

      // Shift-reload: the navigation bypasses the service worker, so the page is not controlled.
      await app.hardReload();
      expect(await app.page.evaluate(() => window.simvx.controlled())).toBe(false);
      expect(await app.page.evaluate(() => window.simvx.kind())).toBe("in-page");

      const after = await app.page.evaluate((url) => window.simvx.load(url), `${origin.url}/control/reload.txt`);
      expect(after).toMatchObject({ ok: true, text: "survives a hard reload", servedFrom: "revalidated" });
    });

    test('"service-worker" mode also serves a hard-reloaded page, which the worker does not control', async ({ app }) => {
      const { origin } = app.servers;
      origin.setAsset("/control/sw-reload.txt", "uncontrolled but served");
      await app.open("service-worker");
      await app.waitForControl();
      await app.hardReload();
      expect(await app.page.evaluate(() => window.simvx.controlled())).toBe(false);
      const report = await app.page.evaluate((url) => window.simvx.load(url), `${origin.url}/control/sw-reload.txt`);
      expect(report).toMatchObject({ ok: true, text: "uncontrolled but served" });
    });
  });
});
