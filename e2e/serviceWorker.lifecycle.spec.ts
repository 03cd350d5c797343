import { expect, needs, test } from "./support/assetWorkerTest.js";

const BATCH = ["/life/1.txt", "/life/2.txt", "/life/3.txt", "/life/4.txt"];

test.describe("service worker backend: a worker that stops or is replaced", () => {
  test.beforeEach(async ({ app }) => {
    await app.open("auto");
    await app.waitForControl();
  });

  needs(["workerStops"], () => {
    test("a worker stopped in the middle of a batch: every load still ends loaded, exactly once", async ({ app }) => {
      const { origin } = app.servers;
      for (const path of BATCH) {
        origin.setAsset(path, `content of ${path}`);
        // The first request of each is held at the origin, so the worker dies with all of them in flight.
        origin.fault(path, { kind: "hold", times: 1 });
      }
      const urls = BATCH.map((path) => `${origin.url}${path}`);
      await app.page.evaluate((all) => {
        window.simvxSettled = {};
        for (const [index, url] of all.entries()) {
          window.simvx.start(`b${index}`, url);
          void window.simvx.settle(`b${index}`).then((report) => {
            window.simvxSettled[url] = [...(window.simvxSettled[url] ?? []), report];
          });
        }
      }, urls);
      for (const path of BATCH) await origin.waitForRequests(path, 1);

      await app.stopWorkers();
      // The held requests die with the worker; the retries on the restarted worker are answered.
      await app.page.waitForFunction((count) => Object.keys(window.simvxSettled).length === count, BATCH.length, { timeoutMs: 30_000 });
      const settled = await app.page.evaluate(() => window.simvxSettled);
      for (const [index, url] of urls.entries()) {
        expect(settled[url]).toHaveLength(1);
        expect(settled[url]?.[0]).toMatchObject({ ok: true, via: "service-worker", text: `content of ${BATCH[index]}` });
      }
      // Each asset was asked for again after the stop: the retry really ran on a new worker.
      for (const path of BATCH) expect(origin.counts.byPath[path]).toBe(2);
    });

    test("an AssetServer batch with the worker stopped in the middle: every handle ends loaded, completed once", async ({ app }) => {
      const { origin } = app.servers;
      const paths = BATCH.map((path) => path.replace("/life/", "/life/server-"));
      for (const path of paths) {
        origin.setAsset(path, `server ${path}`);
        origin.fault(path, { kind: "hold", times: 1 });
      }
      const batch = app.page.evaluate((urls) => window.simvx.loadGroup(urls, 1_000), paths.map((path) => `${origin.url}${path}`));
      for (const path of paths) await origin.waitForRequests(path, 1);
      await app.stopWorkers();

      const reports = await batch;
      for (const [index, report] of reports.entries()) {
        expect(report).toMatchObject({ state: "loaded", value: `server ${paths[index]}`, completedEmits: 1, code: null });
      }
    });
  });

  // Whether the worker really ran again is seen in its state events.
  needs(["cdp"], () => {
    test("a worker stopped while idle is woken by the next call", async ({ app }) => {
      const { origin } = app.servers;
      origin.setAsset("/life/idle.txt", "after a nap");
      const url = `${origin.url}/life/idle.txt`;
      expect(await app.page.evaluate((u) => window.simvx.load(u), url)).toMatchObject({ ok: true, servedFrom: "network" });
      // Idle means done: the worker stores what it fetched after it answers (inside the batch's
      // waitUntil), and a DevTools stop does not wait for that. Asking for the store's figures
      // writes it at once; once they count the asset, nothing is left to do.
      expect(await app.page.evaluate(() => window.simvx.persistentStats())).toMatchObject({ entries: 1 });

      await app.stopWorkers();
      const cdp = await app.cdp();
      const running = new Promise<void>((resolve) => {
        cdp.on("ServiceWorker.workerVersionUpdated", ({ versions }) => {
          if (versions.some((version) => version.runningStatus === "running")) resolve();
        });
      });
      const after = await app.page.evaluate((u) => window.simvx.load(u), url);
      expect(after).toMatchObject({ ok: true, via: "service-worker", servedFrom: "revalidated", text: "after a nap" });
      await running;
    });
  });

  test("a worker update in the middle of a batch: every load still ends loaded", async ({ app }) => {
    const { origin } = app.servers;
    const paths = BATCH.map((path) => path.replace("/life/", "/life/update-"));
    for (const path of paths) {
      origin.setAsset(path, `updated ${path}`);
      origin.fault(path, { kind: "hold", times: 1 });
    }
    const urls = paths.map((path) => `${origin.url}${path}`);
    const oldScript = await app.page.evaluate(() => navigator.serviceWorker.controller?.scriptURL);
    await app.page.evaluate((all) => {
      for (const [index, url] of all.entries()) window.simvx.start(`u${index}`, url);
    }, urls);
    for (const path of paths) await origin.waitForRequests(path, 1);

    // Another script URL for the same scope is an update: it installs and skips waiting. Chromium
    // still lets the old worker finish the calls it holds (each keeps its event alive) before the
    // new one takes over; a call cut off in the swap would be retried on the new worker.
    await app.page.evaluate(async () => {
      window.simvxControllerChanged = new Promise((resolve) => navigator.serviceWorker.addEventListener("controllerchange", () => resolve(), { once: true }));
      await navigator.serviceWorker.register("/asset-sw.js?update=2", { scope: "/" });
    });
    const late = paths.map((path) => `${origin.url}${path}?late`);
    // Calls made while the update is pending are served too.
    await app.page.evaluate((all) => {
      for (const [index, url] of all.entries()) window.simvx.start(`late${index}`, url);
    }, late);
    origin.release();

    const reports = await app.page.evaluate(
      (count) => Promise.all(Array.from({ length: count }, (_, index) => Promise.all([window.simvx.settle(`u${index}`), window.simvx.settle(`late${index}`)]))),
      urls.length,
    );
    for (const [index, [early, later]] of reports.entries()) {
      expect(early).toMatchObject({ ok: true, text: `updated ${paths[index]}` });
      expect(later).toMatchObject({ ok: true, text: `updated ${paths[index]}` });
    }
    await app.page.evaluate(() => window.simvxControllerChanged);
    expect(await app.page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).not.toBe(oldScript);
    // Loads after the update go through the new worker.
    const after = await app.page.evaluate((u) => window.simvx.load(u), urls[0]!);
    expect(after).toMatchObject({ ok: true, via: "service-worker", servedFrom: "revalidated" });
  });
});

declare global {
  interface Window {
    simvxSettled: Record<string, unknown[]>;
    simvxControllerChanged: Promise<void>;
  }
}
