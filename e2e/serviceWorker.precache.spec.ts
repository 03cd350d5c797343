import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Server } from "node:http";
import { build, preview, type PreviewServer } from "vite";
import { assetWorkerPlugin } from "../vite/assetWorkerPlugin.js";
import { consoleRecorderPlugin } from "./support/consoleRecorder.js";
import { test as base, expect } from "./support/engineTest.js";
import { recordFigures } from "./support/figures.js";
import { goOffline, stopServing } from "./support/offline.js";

const PAGES = fileURLToPath(new URL("./pages/", import.meta.url));
const OUT_DIR = fileURLToPath(new URL("./artifacts/precache-build/", import.meta.url));

const test = base.extend<object, { built: PreviewServer }>({
  built: [
    // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring.
    async ({}, use) => {
      await build({ root: PAGES, configFile: false, logLevel: "warn", plugins: [consoleRecorderPlugin(), assetWorkerPlugin()], build: { outDir: OUT_DIR, emptyOutDir: true } });
      const server = await preview({ root: PAGES, configFile: false, logLevel: "warn", build: { outDir: OUT_DIR }, preview: { host: "127.0.0.1", port: 0 } });
      await use(server);
      await stopServing(server.httpServer as Server);
    },
    { scope: "worker" },
  ],
});

test.describe("built app: the worker precaches the app shell", () => {
  test("the build emits asset-sw.js at the output root with the app shell and content revisions", async ({ built }) => {
    expect(built.resolvedUrls?.local[0]).toBeTruthy();
    const worker = `${OUT_DIR}asset-sw.js`;
    expect(existsSync(worker)).toBe(true);
    const code = readFileSync(worker, "utf8");
    // Booleans, not the minified script, in a failure message. The minifier picks any quote.
    const q = "[\"'`]";
    const listed = (file: string): boolean => new RegExp(`url${q}?:\\s*${q}${file}${q},\\s*${q}?revision${q}?:\\s*${q}[0-9a-f]{16}${q}`).test(code);
    expect(listed("index\\.html")).toBe(true);
    expect(listed("assets/[^\"'`]+\\.js")).toBe(true);
    // One classic script: nothing left to import.
    expect(/^\s*import[\s{]/m.test(code) || /\bimport\(/.test(code)).toBe(false);
  });

  test("after one online visit the app starts offline", async ({ built, session, tab: page }) => {
    const url = built.resolvedUrls!.local[0]!;
    await page.goto(`${url}index.html`);
    await page.waitForFunction(() => document.getElementById("status")?.textContent === "ready");
    await page.evaluate(() => window.simvx.waitForControl());
    const precached = await page.evaluate(async () => {
      const urls: string[] = [];
      for (const name of await caches.keys()) for (const request of await (await caches.open(name)).keys()) urls.push(new URL(request.url).pathname);
      return urls;
    });
    expect(precached).toContain("/index.html");

    const offlineBy = await goOffline(session, [built.httpServer as Server]);
    recordFigures({ offlineBy });
    await page.reload();
    await page.waitForFunction(() => document.getElementById("status")?.textContent === "ready");
    expect(await page.evaluate(() => window.simvx.controlled())).toBe(true);
    await page.goto(url);
    await page.waitForFunction(() => document.getElementById("status")?.textContent === "ready");
  });
});
