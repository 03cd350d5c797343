import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DemoServer, startDemoPreview } from "./support/demoServer.js";
import { expect, test } from "./support/engineTest.js";
import { recordFigures } from "./support/figures.js";
import { goOffline } from "./support/offline.js";
import { expectAttribute } from "./support/pageExpect.js";

// Issue 12: a game built with `base: "/games/dusk/"` and served under that sub-path (a project page,
// a portal) registers its worker there, is controlled, and starts offline after one visit.
const BASE = "/games/dusk/";

test.describe("the built demo under a sub-path", () => {
  let server: DemoServer;
  let outDir: string;

  test.beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), "simvx-demo-subpath-"));
    server = await startDemoPreview(outDir, BASE);
  });

  test.afterAll(async () => {
    await server?.close();
    await rm(outDir, { recursive: true, force: true });
  });

  test("is controlled by <base>asset-sw.js with scope <base>, and starts offline after one visit", async ({ session, tab: page }) => {
    // Vite's preview reports its URL with the base already on it.
    const origin = new URL(server.url).origin;
    await page.goto(`${origin}${BASE}`);
    await expectAttribute(page, "#app", "data-scene", "game", { timeoutMs: 30_000 });
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeoutMs: 30_000 });
    const worker = await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.ready;
      const server = (window as unknown as { assetServer?: { stats(): { httpBackend: string | null } } }).assetServer;
      return { script: navigator.serviceWorker.controller?.scriptURL ?? null, scope: registration.scope, backend: server?.stats().httpBackend ?? null };
    });
    expect(worker).toEqual({ script: `${origin}${BASE}asset-sw.js`, scope: `${origin}${BASE}`, backend: "service-worker" });

    const offlineBy = await goOffline(session, [server.httpServer]);
    await page.reload();
    await expectAttribute(page, "#app", "data-scene", "game", { timeoutMs: 30_000 });
    recordFigures({ base: BASE, ...worker, offlineBy, offlineReload: "game" });
  });
});
