// Takes the README's screenshots of the demo: docs/loading-screen.png and docs/game.png.
// Usage: npx tsx scripts/demo-screenshots.ts
import { mkdir } from "node:fs/promises";
import { chromium } from "playwright-core";
import { chromiumLaunchOptions } from "../e2e/support/chromium.js";
import { startDemoDev } from "../e2e/support/demoServer.js";

const VIEWPORT = { width: 960, height: 540 };

const server = await startDemoDev();
const browser = await chromium.launch(chromiumLaunchOptions());
try {
  await mkdir("docs", { recursive: true });
  // No service worker: its fetches would not feel the page's network throttling below.
  const context = await browser.newContext({ viewport: VIEWPORT, serviceWorkers: "block" });
  const page = await context.newPage();
  // A slow connection, so the loading screen is on screen long enough to be caught mid-way.
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 40, downloadThroughput: 60 * 1024, uploadThroughput: 60 * 1024 });
  await page.goto(`${server.url}/`);
  await page.waitForFunction(() => Number(document.querySelector("[role=progressbar]")?.getAttribute("aria-valuenow")) >= 35, undefined, { timeout: 60_000 });
  await page.screenshot({ path: "docs/loading-screen.png" });
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  await page.waitForFunction(() => document.querySelector("#app")?.getAttribute("data-scene") === "game", undefined, { timeout: 60_000 });
  // Walk a little way into the level, then jump.
  await page.keyboard.down("ArrowRight");
  await page.waitForTimeout(900);
  await page.keyboard.press("Space");
  await page.waitForTimeout(250);
  await page.keyboard.up("ArrowRight");
  await page.waitForTimeout(150);
  await page.screenshot({ path: "docs/game.png" });
  console.log("wrote docs/loading-screen.png and docs/game.png");
} finally {
  await browser.close();
  await server.close();
}
