import type { CDPSession } from "playwright-core";
import type { BrowserSession, TestPage } from "../engines/TestPage.js";
import { startAssetWorkerServers, type AssetWorkerServers } from "./assetWorkerServers.js";
import { test as engineTest } from "./engineTest.js";

export { engine, expect, lacks, needs } from "./engineTest.js";

export interface AssetWorkerFixtures {
  /** The page (a fresh session: no worker, empty IndexedDB) opened on the test page, not yet controlled. */
  app: AssetWorkerApp;
}

export interface AssetWorkerApp {
  page: TestPage;
  session: BrowserSession;
  servers: AssetWorkerServers;
  /** Opens the test page with the given backend mode ("auto" by default). */
  open(mode?: "auto" | "service-worker" | "in-page"): Promise<void>;
  /** Waits until the asset worker controls the page. */
  waitForControl(): Promise<void>;
  /** Chromium's DevTools protocol on the page, ServiceWorker domain enabled (tests that `needs(["cdp"])`). */
  cdp(): Promise<CDPSession>;
  /** Reloads bypassing the service worker (shift-reload): the page is not controlled (tests that `needs(["hardReload"])`). */
  hardReload(): Promise<void>;
  /**
   * Stops the service workers while they run: at once in Chromium; in Firefox the browser stops
   * a busy worker by itself within its idle limits, so this returns at once and the test's held
   * requests show the stop (tests that `needs(["workerStops"])`).
   */
  stopWorkers(): Promise<void>;
}

/** Servers are shared by the tests of one file; each test uses asset paths of its own. */
export const test = engineTest.extend<AssetWorkerFixtures, { servers: AssetWorkerServers }>({
  servers: [
    // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring.
    async ({}, use) => {
      const servers = await startAssetWorkerServers();
      await use(servers);
      await servers.close();
    },
    { scope: "worker" },
  ],
  app: async ({ session, servers }, use) => {
    servers.origin.clearFaults();
    servers.origin.reset();
    const page = session.page;
    const app: AssetWorkerApp = {
      page,
      session,
      servers,
      async open(mode = "auto") {
        await page.goto(`${servers.pageOrigin}/index.html?backend=${mode}`);
        await page.waitForFunction(() => document.getElementById("status")?.textContent === "ready");
      },
      async waitForControl() {
        await page.evaluate(() => window.simvx.waitForControl());
      },
      async cdp() {
        if (!session.cdp) throw new Error(`${session.engine} has no DevTools protocol`);
        return session.cdp(page);
      },
      async hardReload() {
        if (!session.cdp) throw new Error(`${session.engine} has no reload that bypasses the service worker`);
        // The command returns before the navigation starts: wait for a document without this mark.
        await page.evaluate(() => void (window.simvxOldDocument = true));
        await (await session.cdp(page)).send("Page.reload", { ignoreCache: true });
        await page.waitForFunction(() => window.simvxOldDocument === undefined && document.getElementById("status")?.textContent === "ready");
      },
      async stopWorkers() {
        const stops = session.workerStops;
        if (!stops) throw new Error(`${session.engine} cannot stop service workers here`);
        if (stops.kind === "on-demand") await stops.stopAll();
      },
    };
    await use(app);
  },
});

declare global {
  interface Window {
    simvxOldDocument?: true;
  }
}
