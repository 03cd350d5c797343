import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test, type Page } from "@playwright/test";
import type { DemoOriginStats } from "../demo/server/DemoOrigin.js";
import { type DemoServer, startDemoDev, startDemoPreview } from "./support/demoServer.js";

const ARTIFACTS = "e2e/artifacts";
/** Everything the demo origin's manifest lists besides news.json, plus the manifest itself. */
const UNCHANGED_ORIGIN_FILES = 6;

/** Records every value the loading bar shows, from the first paint on. */
async function recordProgress(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const seen: number[] = [];
    (window as unknown as { progressSeen: number[] }).progressSeen = seen;
    new MutationObserver(() => {
      const value = document.querySelector("[role=progressbar]")?.getAttribute("aria-valuenow");
      if (value !== null && value !== undefined && Number(value) !== seen.at(-1)) seen.push(Number(value));
    }).observe(document, { subtree: true, attributes: true, attributeFilter: ["aria-valuenow"] });
  });
}

function collectConsoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(`uncaught: ${error.message}`));
  return errors;
}

async function waitForGame(page: Page): Promise<void> {
  await expect(page.locator("#app")).not.toHaveAttribute("data-scene", "loading", { timeout: 30_000 });
  const status = await page.locator(".loading .status").textContent();
  expect(await page.locator("#app").getAttribute("data-scene"), `the demo ended on: ${status}`).toBe("game");
}

async function originStats(server: DemoServer): Promise<DemoOriginStats> {
  return (await (await fetch(`${server.url}/demo-origin/__stats`)).json()) as DemoOriginStats;
}

/** Distinct colours in the game canvas: a blank or failed scene has one or two. */
async function canvasColours(page: Page): Promise<number> {
  return page.locator("#screen").evaluate((canvas: HTMLCanvasElement) => {
    const data = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height).data;
    const colours = new Set<number>();
    for (let i = 0; i < data.length; i += 4) colours.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
    return colours.size;
  });
}

test.describe("the dev demo (npm run demo)", () => {
  let server: DemoServer;

  test.beforeAll(async () => {
    server = await startDemoDev();
  });

  test.afterAll(async () => {
    await server?.close();
  });

  test("loads to the game scene, the bar only moving forward to 100%, with no console errors", async ({ page }) => {
    const errors = collectConsoleErrors(page);
    await recordProgress(page);
    await page.goto(`${server.url}/`);
    await waitForGame(page);

    const seen = await page.evaluate(() => (window as unknown as { progressSeen: number[] }).progressSeen);
    expect(seen.at(-1)).toBe(100);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    await expect(page.locator(".loading .status")).toHaveText(/^Loaded (\d+)\/\1$/);
    expect(await canvasColours(page)).toBeGreaterThan(20);
    await expect(page.locator(".news-text")).toContainText("Dusk Meadow");

    // Playable: walking right scrolls the level, and the canvas keeps drawing.
    await page.keyboard.down("ArrowRight");
    await page.waitForTimeout(600);
    await page.keyboard.up("ArrowRight");
    await page.keyboard.press("Space");
    await page.screenshot({ path: `${ARTIFACTS}/demo-dev.png` });
    expect(errors).toEqual([]);
  });

  test('"Deploy" downloads exactly one new file from the demo origin and revalidates the rest', async ({ page }) => {
    const errors = collectConsoleErrors(page);
    await page.goto(`${server.url}/`);
    await waitForGame(page);
    await page.getByRole("button", { name: /Dev panel/ }).click();
    const panel = page.locator("#dev-panel");
    await expect(panel).toBeVisible();

    const before = await originStats(server);
    await panel.getByRole("button", { name: "Deploy new news.json" }).click();
    await expect(panel).toHaveAttribute("data-last-action", "deploy:done", { timeout: 30_000 });
    const after = await originStats(server);

    expect(after.deploys).toBe(before.deploys + 1);
    expect(after.totals.full - before.totals.full).toBe(1);
    expect((after.files["news.json"]?.full ?? 0) - (before.files["news.json"]?.full ?? 0)).toBe(1);
    expect(after.totals.notModified - before.totals.notModified).toBe(UNCHANGED_ORIGIN_FILES);
    await expect(page.locator(".news-text")).toContainText(`Deploy #${after.deploys}`);
    await expect(panel.locator(".action-status")).toContainText("1 network");
    await page.screenshot({ path: `${ARTIFACTS}/demo-deploy.png` });
    expect(errors).toEqual([]);
  });
});

test.describe("the built demo (npm run build + preview)", () => {
  let server: DemoServer;
  let outDir: string;

  test.beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), "simvx-demo-build-"));
    server = await startDemoPreview(outDir);
  });

  test.afterAll(async () => {
    await server?.close();
    await rm(outDir, { recursive: true, force: true });
  });

  test("visited once, then reloaded offline, still starts and reaches the game scene", async ({ page, context }) => {
    await page.goto(`${server.url}/`);
    await waitForGame(page);
    const headline = await page.locator(".news-text").textContent();
    // The worker has installed (app shell precached) and controls the page.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 30_000 });

    await context.setOffline(true);
    await page.reload();
    await waitForGame(page);
    expect(await canvasColours(page)).toBeGreaterThan(20);
    // The origin's news came from the persistent cache, not the network.
    await expect(page.locator(".news-text")).toHaveText(headline ?? "");
    await page.screenshot({ path: `${ARTIFACTS}/demo-offline.png` });
    await context.setOffline(false);
  });
});
