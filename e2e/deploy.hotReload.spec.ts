import { rm, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { type DemoServer, startDemoDev } from "./support/demoServer.js";
import { expect, test } from "./support/engineTest.js";
import { recordFigures } from "./support/figures.js";
import { expectAttribute } from "./support/pageExpect.js";

// Issue 12: under `npm run demo`, saving a file of a pkg folder fires `assetChanged` with its uri
// (after the caches dropped it) and the next load reads the new content. The file is made by the
// test in the demo's pkg folder and removed again, whatever happens.
const FILE = fileURLToPath(new URL("../demo/assets/hot-reload-probe.txt", import.meta.url));
const URI = "pkg://game/hot-reload-probe.txt";

test.describe("hot reload in the dev demo", () => {
  let server: DemoServer;

  test.beforeAll(async () => {
    await writeFile(FILE, "first version");
    server = await startDemoDev({ hmr: true });
  });

  test.afterAll(async () => {
    await server?.close();
    await rm(FILE, { force: true });
  });

  test("saving a pkg file fires assetChanged with its uri, and the next load has the new content", async ({ tab: page }) => {
    await page.goto(`${server.url}/`);
    await expectAttribute(page, "#app", "data-scene", "game", { timeoutMs: 30_000 });
    // Page functions travel as source: each one reaches the demo's server through `window`.
    const before = await page.evaluate(async (uri) => {
      const win = window as unknown as { assetServer: { load(u: string): { result(): Promise<unknown> }; assetChanged: { connect(fn: (u: string) => void): unknown } }; changedUris: string[] };
      win.changedUris = [];
      win.assetServer.assetChanged.connect((changed) => win.changedUris.push(changed));
      return win.assetServer.load(uri).result();
    }, URI);
    expect(before).toBe("first version");

    await writeFile(FILE, "second version, saved");
    await page.waitForFunction((uri) => (window as unknown as { changedUris: string[] }).changedUris.includes(uri), URI, { timeoutMs: 15_000 });
    const after = await page.evaluate((uri) => (window as unknown as { assetServer: { load(u: string): { result(): Promise<unknown> } } }).assetServer.load(uri).result(), URI);
    expect(after).toBe("second version, saved");
    const changed = await page.evaluate(() => (window as unknown as { changedUris: string[] }).changedUris);
    recordFigures({ before, after, changed });
  });
});
