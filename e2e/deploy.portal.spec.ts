import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestPage } from "./engines/TestPage.js";
import { buildDemo, type DemoServer, previewDemo } from "./support/demoServer.js";
import { engine, expect, lacks, needs, test } from "./support/engineTest.js";
import { recordFigures } from "./support/figures.js";
import { type FrameReport, frameReporterPlugin } from "./support/frameReporter.js";
import { stopServing } from "./support/offline.js";

// Issue 12: the demo built for `/games/dusk/` on one site, embedded in an <iframe> by a game portal
// on another. The portal is `http://localhost:<port>`, the game `http://127.0.0.1:<port>`: two hosts,
// so two sites, that both reach loopback and are both secure contexts (a worker in a frame needs
// that of the frame and of every page above it). No driver reaches into a cross-site frame, so the
// game's page posts what it sees to the portal (`frameReporter.ts`), which keeps it in `window.portal`.
// Offline here means the game's origin down and the portal still up; the portal's page is reloaded.
const BASE = "/games/dusk/";
const SCENE_MS = 30_000;
/** After the iframe's load event: a game page posts its first report before it (from its <head>), so this is only slack. */
const AFTER_LOAD_MS = 1_000;

interface PortalState {
  /** The last report the game frame posted, or null before the first. */
  frame: FrameReport | null;
  /** The first report of this load of the portal: posted from the game's <head>, so its controller is the one the frame's navigation had. */
  first: FrameReport | null;
  /** The origin those reports came from. */
  origin: string | null;
  /** The iframe's load events (an error page's too). */
  loads: number;
}

function portalHtml(gameUrl: string): string {
  return `<!doctype html><meta charset="utf-8"><title>A game portal</title>
<script>
window.portal = { frame: null, first: null, origin: null, loads: 0 };
addEventListener("message", (event) => {
  if (event.data && event.data.type === "simvx-frame-report") {
    window.portal.frame = event.data.report; window.portal.origin = event.origin;
    if (window.portal.first === null) window.portal.first = event.data.report;
  }
});
</script>
<h1>A game portal</h1>
<iframe id="game" src="${gameUrl}" width="800" height="600" onload="window.portal.loads += 1"></iframe>`;
}

interface Portal {
  url: string;
  game: DemoServer;
  gameOrigin: string;
  close(): Promise<void>;
}

/** The demo built for `BASE`, once per file (`beforeAll`): each test serves it afresh, since each takes the game's origin down. */
let outDir: string;

/** A preview of the built demo on 127.0.0.1, and a portal page on `localhost` that frames it. */
async function startPortal(): Promise<Portal> {
  const game = await previewDemo(outDir, BASE);
  const gameOrigin = new URL(game.url).origin;
  const server = createServer((req, res) => {
    if (req.url !== "/") res.writeHead(404).end();
    else res.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" }).end(portalHtml(`${gameOrigin}${BASE}`));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://localhost:${(server.address() as AddressInfo).port}/`,
    game,
    gameOrigin,
    close: async () => {
      await stopServing(server);
      await game.close();
    },
  };
}

function portalState(page: TestPage): Promise<PortalState> {
  return page.evaluate(() => (window as unknown as { portal: PortalState }).portal);
}

/** What the test waits for the frame to report. */
interface FrameCondition {
  scene: string;
  /** A worker controls the frame. */
  controlled?: boolean;
  /** The frame has reported a console warning or error. */
  problems?: boolean;
}

/** Waits until the frame's last report meets `condition`, and returns the time taken since `since`. */
async function waitForFrame(page: TestPage, condition: FrameCondition, since: number): Promise<number> {
  const holds = (wanted: FrameCondition): boolean => {
    const frame = (window as unknown as { portal: PortalState }).portal.frame;
    if (!frame || frame.scene !== wanted.scene) return false;
    if (wanted.controlled && frame.controller === null) return false;
    return !wanted.problems || frame.problems.length > 0;
  };
  await page.waitForFunction(holds, condition, { timeoutMs: SCENE_MS }).catch(async (error: unknown) => {
    throw new Error(`the game frame did not report ${JSON.stringify(condition)} within ${SCENE_MS} ms; the portal saw ${JSON.stringify(await portalState(page))}`, { cause: error });
  });
  return Date.now() - since;
}

let portal: Portal | null = null;

test.beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), "simvx-demo-portal-"));
  await buildDemo(outDir, BASE, { plugins: [frameReporterPlugin()] });
});

test.afterAll(async () => {
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

test.afterEach(async () => {
  await portal?.close();
  portal = null;
});

/** The first request for the game's page from the `from`th request on, as the game's server saw it. */
function frameNavigation(game: DemoServer, from = 0): { site: string | null; dest: string | null } | undefined {
  const entry = game.fetchMetadata.slice(from).find((request) => request.path === BASE);
  return entry && { site: entry.site, dest: entry.dest };
}

/** In a browser that allows a worker in the frame: it registers under the sub-path, controls the frame, and the game starts offline. */
async function expectControlledAndOfflineStart(page: TestPage, label: string): Promise<void> {
  portal = await startPortal();
  const { gameOrigin } = portal;
  // The same game opened directly first, as a player who knows it would: its worker controls it.
  await page.goto(`${gameOrigin}${BASE}`);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeoutMs: SCENE_MS });
  const requestsBefore = portal.game.fetchMetadata.length;
  const started = Date.now();
  await page.goto(portal.url);
  const sceneMs = await waitForFrame(page, { scene: "game" }, started);
  const controlledMs = await waitForFrame(page, { scene: "game", controlled: true }, started);
  const online = await portalState(page);
  // Every engine sent the frame's request as cross-site: the two hosts are two sites.
  expect(frameNavigation(portal.game, requestsBefore)).toEqual({ site: "cross-site", dest: "iframe" });
  expect(online.origin).toBe(gameOrigin);
  expect(online.frame).toMatchObject({
    href: `${gameOrigin}${BASE}`,
    isSecureContext: true,
    controller: `${gameOrigin}${BASE}asset-sw.js`,
    registration: { scope: `${gameOrigin}${BASE}`, active: "activated" },
    backend: "service-worker",
    problems: [],
  });
  expect(online.frame?.status).toMatch(/^Loaded (\d+)\/\1$/);
  // Partitioned by the top-level site: the registration made at the top level did not control the
  // frame's navigation; the frame registered its own.
  const firstVisitController = online.first?.controller ?? null;
  expect(firstVisitController).toBeNull();
  // What the frame's first visit asked the game's origin for, although the same browser had the game stored at the top level.
  const firstVisitRequests = portal.game.fetchMetadata.length - requestsBefore;

  // The game's origin goes away; the portal stays, and is reloaded.
  await stopServing(portal.game.httpServer);
  const reloaded = Date.now();
  await page.reload();
  const offlineMs = await waitForFrame(page, { scene: "game" }, reloaded);
  const offline = await portalState(page);
  // The frame's own registration controlled its navigation this time.
  expect(offline.first?.controller).toBe(`${gameOrigin}${BASE}asset-sw.js`);
  expect(offline.frame).toMatchObject({ controller: `${gameOrigin}${BASE}asset-sw.js`, backend: "service-worker", problems: [] });
  expect(offline.frame?.status).toMatch(/^Loaded (\d+)\/\1$/);
  recordFigures({ engine, launch: label, navigation: frameNavigation(portal.game, requestsBefore), status: online.frame?.status, firstVisitController, firstVisitRequests, sceneMs, controlledMs, offlineSceneMs: offlineMs });
}

test.describe("the built demo under a sub-path, in a portal's iframe on another site", () => {
  needs(["thirdPartyServiceWorker"], () => {
    test("loads to the game scene, is controlled by its worker under the sub-path, and starts offline with the game's origin down", async ({ tab: page }) => {
      await expectControlledAndOfflineStart(page, "as the tests launch it");
    });
  });

  lacks("thirdPartyServiceWorker", () => {
    test("loads to the game scene in the page when the browser refuses the frame a worker, and cannot start offline", async ({ tab: page }) => {
      portal = await startPortal();
      const { gameOrigin } = portal;
      const started = Date.now();
      await page.goto(portal.url);
      const sceneMs = await waitForFrame(page, { scene: "game", problems: true }, started);
      const online = await portalState(page);
      expect(frameNavigation(portal.game)).toEqual({ site: "cross-site", dest: "iframe" });
      expect(online.origin).toBe(gameOrigin);
      expect(online.frame).toMatchObject({ href: `${gameOrigin}${BASE}`, isSecureContext: true, serviceWorkerApi: true, controller: null, backend: "in-page" });
      expect(online.frame?.status).toMatch(/^Loaded (\d+)\/\1$/);
      // The demo says why, once, and the library loads in the page (backend "auto").
      expect(online.frame?.problems).toEqual([expect.stringMatching(/^warning: asset worker not registered: NotSupportedError: .*The user denied permission to use Service Worker/)]);
      expect(online.frame?.registration).toEqual({ error: expect.stringMatching(/The user denied permission to use Service Worker/) });

      // Nothing controls the frame, so with the game's origin down the frame gets the browser's error page.
      await stopServing(portal.game.httpServer);
      await page.reload();
      await page.waitForFunction(() => (window as unknown as { portal: PortalState }).portal.loads > 0, undefined, { timeoutMs: SCENE_MS });
      await new Promise((resolve) => setTimeout(resolve, AFTER_LOAD_MS));
      const offline = await portalState(page);
      expect(offline).toEqual({ frame: null, first: null, origin: null, loads: 1 });
      recordFigures({ engine, launch: "Playwright's (no third-party storage partitioning)", navigation: frameNavigation(portal.game), registration: online.frame?.registration, sceneMs, offline: "error page" });
    });

    test.describe(() => {
      test.use({ storagePartitioning: true });
      test("with third-party storage partitioned as the browser ships: controlled by its worker, and starts offline with the game's origin down", async ({ tab: page }) => {
        await expectControlledAndOfflineStart(page, "storage partitioning as shipped");
      });
    });
  });
});
