import { test as base, expect, type CDPSession, type Page } from "@playwright/test";
import { startAssetWorkerServers, type AssetWorkerServers } from "./assetWorkerServers.js";

export { expect };

export interface AssetWorkerFixtures {
  /** The page (a fresh context: no worker, empty IndexedDB) opened on the test page, not yet controlled. */
  app: AssetWorkerApp;
}

export interface AssetWorkerApp {
  page: Page;
  servers: AssetWorkerServers;
  /** Opens the test page with the given backend mode ("auto" by default). */
  open(mode?: "auto" | "service-worker" | "in-page"): Promise<void>;
  /** Waits until the asset worker controls the page. */
  waitForControl(): Promise<void>;
  /** A CDP session on the page with the ServiceWorker domain enabled. */
  cdp(): Promise<CDPSession>;
  /** Stops every service worker (as Chromium does to an idle one). */
  stopWorkers(): Promise<void>;
}

/** Servers are shared by the tests of one file; each test uses asset paths of its own. */
export const test = base.extend<AssetWorkerFixtures, { servers: AssetWorkerServers }>({
  servers: [
    // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring.
    async ({}, use) => {
      const servers = await startAssetWorkerServers();
      await use(servers);
      await servers.close();
    },
    { scope: "worker" },
  ],
  app: async ({ page, servers }, use) => {
    let session: CDPSession | undefined;
    const cdp = async (): Promise<CDPSession> => {
      if (!session) {
        session = await page.context().newCDPSession(page);
        await session.send("ServiceWorker.enable");
      }
      return session;
    };
    servers.origin.clearFaults();
    servers.origin.reset();
    const app: AssetWorkerApp = {
      page,
      servers,
      async open(mode = "auto") {
        await page.goto(`${servers.pageOrigin}/index.html?backend=${mode}`);
        await page.waitForFunction(() => document.getElementById("status")?.textContent === "ready");
      },
      async waitForControl() {
        await page.evaluate(() => window.simvx.waitForControl());
      },
      cdp,
      async stopWorkers() {
        await (await cdp()).send("ServiceWorker.stopAllWorkers");
      },
    };
    await use(app);
    await session?.detach().catch(() => undefined);
  },
});
