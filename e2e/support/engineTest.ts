import { mkdir } from "node:fs/promises";
import { test as base, type TestInfo } from "@playwright/test";
import { BrowserPool } from "../engines/BrowserPool.js";
import { currentEngine, type EngineName } from "../engines/EngineName.js";
import { engineHas, type Feature, missingFeatures } from "../engines/features.js";
import type { BrowserSession, EngineBrowser, TestPage } from "../engines/TestPage.js";
import { within } from "./within.js";

export { expect } from "@playwright/test";

/** The engine of this run (`SIMVX_ENGINE`), known while spec files load. */
export const engine: EngineName = currentEngine();

const SESSION_CLOSE_MS = 15_000;
/** A page stuck in a script cannot take a screenshot: the failed test's report goes without it. */
const SCREENSHOT_MS = 5_000;

export interface EngineTestFixtures {
  /** Option: a browser whose service workers stop as soon as the engine allows (set by `needs(["workerStops"], ...)`). */
  quickWorkerStops: boolean;
  /** Option: Chromium partitioning third-party storage as it ships (see `LaunchOptions.storagePartitioning`). */
  storagePartitioning: boolean;
  /** A fresh browsing session (no worker, empty storage) in this run's engine, closed after the test. */
  session: BrowserSession;
  /** The session's first page. */
  tab: TestPage;
}

export interface EngineWorkerFixtures {
  browsers: BrowserPool;
}

export const test = base.extend<EngineTestFixtures, EngineWorkerFixtures>({
  browsers: [
    // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring.
    async ({}, use) => {
      const pool = new BrowserPool(engine);
      await use(pool);
      await pool.close();
    },
    { scope: "worker", timeout: 120_000 },
  ],
  quickWorkerStops: [false, { option: true }],
  storagePartitioning: [false, { option: true }],
  session: async ({ browsers, quickWorkerStops, storagePartitioning }, use, testInfo) => {
    const browser = await browsers.get({ quickWorkerStops, storagePartitioning });
    const session = await browser.newSession();
    try {
      await use(session);
    } finally {
      if (testInfo.status !== testInfo.expectedStatus) await screenshotPages(session, testInfo);
      await closeSession(session, browser, browsers);
    }
  },
  tab: async ({ session }, use) => {
    await use(session.page);
  },
});

/** Closes the session within a bound; a session that will not close takes its browser with it. */
async function closeSession(session: BrowserSession, browser: EngineBrowser, browsers: BrowserPool): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const closed = await Promise.race([
    session.close().then(
      () => true,
      () => false,
    ),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), SESSION_CLOSE_MS))),
  ]);
  clearTimeout(timer);
  if (!closed) await browsers.discard(browser);
}

/** What the pages of a failed test showed, next to its other results. */
async function screenshotPages(session: BrowserSession, testInfo: TestInfo): Promise<void> {
  await mkdir(testInfo.outputDir, { recursive: true });
  for (const [index, page] of session.pages().entries()) {
    await within(SCREENSHOT_MS, "a screenshot", page.screenshot(testInfo.outputPath(`page-${index}.png`))).catch(() => undefined);
  }
}

/**
 * Registers the tests `register` defines only where this run's engine has every feature in
 * `features`: a test that cannot run in an engine does not exist there (no skip). Tests that
 * stop workers run in a browser launched for it (`quickWorkerStops`).
 */
export function needs(features: readonly Feature[], register: () => void): void {
  if (missingFeatures(features, engine).length > 0) return;
  if (!features.includes("workerStops") && !features.includes("idleWorkerStops")) return register();
  test.describe(() => {
    test.use({ quickWorkerStops: true });
    register();
  });
}

/** Registers the tests `register` defines only where this run's engine lacks `feature` (what a test of its absence checks). */
export function lacks(feature: Feature, register: () => void): void {
  if (!engineHas(feature, engine)) register();
}
