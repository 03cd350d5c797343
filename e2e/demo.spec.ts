import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DemoOriginStats } from "../demo/server/DemoOrigin.js";
import type { PkgIndex } from "../src/kernel/PkgIndex.js";
import type { TestPage } from "./engines/TestPage.js";
import { type DemoServer, startDemoDev, startDemoPreview } from "./support/demoServer.js";
import { engine, expect, test } from "./support/engineTest.js";
import { recordFigures } from "./support/figures.js";
import { goOffline } from "./support/offline.js";
import { attributeOf, expectAttribute, expectText, expectVisible, textOf } from "./support/pageExpect.js";

const ARTIFACTS = "e2e/artifacts";
/**
 * What a deploy revalidates at the demo origin: the manifest itself. Its other entries besides
 * news.json carry integrity, so their stored copies are served with no request (content-addressed).
 */
const REVALIDATED_ORIGIN_FILES = 1;

const literally = (text: string): RegExp => new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));

/** Console errors and uncaught errors the page has had so far. */
async function consoleErrors(page: TestPage): Promise<string[]> {
  return (await page.consoleMessages()).filter((message) => message.type === "error" || message.type === "pageerror").map((message) => `${message.type}: ${message.text}`);
}

async function waitForGame(page: TestPage): Promise<void> {
  await expectAttribute(page, "#app", "data-scene", "loading", { not: true, timeoutMs: 30_000 });
  const status = await textOf(page, ".loading .status");
  expect(await attributeOf(page, "#app", "data-scene"), `the demo ended on: ${status}`).toBe("game");
}

async function originStats(server: DemoServer): Promise<DemoOriginStats> {
  return (await (await fetch(`${server.url}/demo-origin/__stats`)).json()) as DemoOriginStats;
}

/**
 * Distinct colours in the game canvas once its first frame is drawn (the scene starts a frame
 * before it draws; WebKit once drew it after the check): a blank or failed scene has one or two.
 */
async function canvasColours(page: TestPage): Promise<number> {
  await expectAttribute(page, "#screen", "data-first-frame", "drawn");
  return page.evaluate(() => {
    const canvas = document.querySelector<HTMLCanvasElement>("#screen")!;
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

  test("loads to the game scene, the bar only moving forward to 100%, with no console errors", async ({ tab: page }) => {
    await page.goto(`${server.url}/`);
    await waitForGame(page);

    // Every value the bar showed, recorded from the first paint (e2e/support/progressRecorder.ts).
    const seen = await page.evaluate(() => (window as unknown as { progressSeen: number[] }).progressSeen);
    expect(seen.at(-1)).toBe(100);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    await expectText(page, ".loading .status", /^Loaded (\d+)\/\1$/);
    expect(await canvasColours(page)).toBeGreaterThan(20);
    await expectText(page, ".news-text", literally("Dusk Meadow"));

    // Playable: walking right scrolls the level, and the canvas keeps drawing.
    await page.keyDown("ArrowRight");
    await new Promise((resolve) => setTimeout(resolve, 600));
    await page.keyUp("ArrowRight");
    await page.keyDown("Space");
    await page.keyUp("Space");
    await page.screenshot(`${ARTIFACTS}/demo-dev-${engine}.png`);
    expect(await consoleErrors(page)).toEqual([]);
  });

  test('"Deploy" downloads exactly one new file from the demo origin, revalidates its manifest, and asks nothing for entries pinned by integrity', async ({ tab: page }) => {
    await page.goto(`${server.url}/`);
    await waitForGame(page);
    await page.click("#dev-toggle");
    await expectVisible(page, "#dev-panel");
    // The panel fills in its store and origin figures after it opens, and the buttons move down
    // as those lines wrap: click once they are there.
    await expectText(page, "#dev-panel .origin", /^deploy #\d+/);
    await expectText(page, "#dev-panel .idb", /entries$/);
    // The engine's own counts reach the page (issue 15); dev serves no packs, so only their shape is known.
    await expectText(page, "#dev-panel .requests", /^\d+ requests? for \d+ files?$/);

    const before = await originStats(server);
    await page.click('#dev-panel button[data-action="deploy"]');
    await expectAttribute(page, "#dev-panel", "data-last-action", "deploy:done", { timeoutMs: 30_000 });
    const after = await originStats(server);

    expect(after.deploys).toBe(before.deploys + 1);
    expect(after.totals.full - before.totals.full).toBe(1);
    expect((after.files["news.json"]?.full ?? 0) - (before.files["news.json"]?.full ?? 0)).toBe(1);
    expect(after.totals.notModified - before.totals.notModified).toBe(REVALIDATED_ORIGIN_FILES);
    await expectText(page, ".news-text", literally(`Deploy #${after.deploys}`));
    await expectText(page, "#dev-panel .action-status", literally("1 network"));
    await page.screenshot(`${ARTIFACTS}/demo-deploy-${engine}.png`);
    expect(await consoleErrors(page)).toEqual([]);
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

  test("visited once, then reloaded offline, still starts and reaches the game scene", async ({ session, tab: page }) => {
    await page.goto(`${server.url}/`);
    await waitForGame(page);
    const headline = await textOf(page, ".news-text");
    // The worker has installed (app shell precached) and controls the page.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeoutMs: 30_000 });

    recordFigures({ offlineBy: await goOffline(session, [server.httpServer]) });
    await page.reload();
    await waitForGame(page);
    expect(await canvasColours(page)).toBeGreaterThan(20);
    // The origin's news came from the persistent cache, not the network.
    await expectText(page, ".news-text", new RegExp(`^${literally(headline ?? "").source}$`));
    await page.screenshot(`${ARTIFACTS}/demo-offline-${engine}.png`);
  });

  test("the first visit fetches pkg:// files in packs: no more requests than packs, unpacked files and the boot manifest", async ({ tab: page }) => {
    // Where the engine goes offline by taking the server down, the test before this one did: back up, on the same origin.
    if (!server.httpServer.listening) await new Promise<void>((resolve) => server.httpServer.listen(Number(new URL(server.url).port), "127.0.0.1", resolve));
    for (const path of Object.keys(server.requests)) delete server.requests[path];
    await page.goto(`${server.url}/`);
    await waitForGame(page);
    // PixiJS's badge fetches the flag by URL once the worker controls the page: counted after it,
    // its request must not have reached the origin (the worker answers it from the store).
    await page.waitForFunction(() => document.querySelector<HTMLElement>("#game .hud")?.dataset.badge !== undefined, undefined, { timeoutMs: 15_000 });
    const index = JSON.parse(await readFile(join(outDir, "simvx-assets/pkg-index.json"), "utf8")) as PkgIndex;
    const files = Object.values(index.packages.game!.files);
    const packs = Object.keys(index.packs ?? {}).length;
    const unpacked = files.filter((file) => file.pack === undefined).length;
    const pkgRequests = Object.entries(server.requests).filter(([path]) => path.includes("/pkg/"));
    const total = pkgRequests.reduce((sum, [, count]) => sum + count, 0);
    expect(packs).toBeGreaterThan(0);
    // The boot manifest is read alone before its entries are known; then its entries come from
    // the packs, except those too large to pack.
    expect(total, JSON.stringify(pkgRequests)).toBeLessThanOrEqual(packs + unpacked + 1);
    // The dev panel shows the engines' own count: fewer requests than the files they brought.
    await page.click("#dev-toggle");
    await expectVisible(page, "#dev-panel");
    await page.waitForFunction(() => Number(document.getElementById("dev-panel")?.dataset.files ?? 0) > 0, undefined, { timeoutMs: 15_000 });
    const counted = await page.evaluate(() => ({ ...document.getElementById("dev-panel")!.dataset }));
    expect(Number(counted.requests), JSON.stringify(counted)).toBeLessThan(Number(counted.files));
    // The index is also fetched by the worker's precache of the app shell: a figure, not a bound.
    recordFigures({ pkgFiles: files.length, packs, unpacked, pkgRequests: total, indexRequests: server.requests["/simvx-assets/pkg-index.json"] ?? 0, panelRequests: Number(counted.requests), panelFiles: Number(counted.files) });

  });

  test("offline, the music's <audio> element seeks in the stored file, and PixiJS draws its sprite from urlOf", async ({ session, tab: page }) => {
    // Where the engine goes offline by taking the server down, the test before this one did: back up, on the same origin.
    if (!server.httpServer.listening) await new Promise<void>((resolve) => server.httpServer.listen(Number(new URL(server.url).port), "127.0.0.1", resolve));
    await page.goto(`${server.url}/`);
    await waitForGame(page);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeoutMs: 30_000 });
    await page.waitForFunction(() => document.querySelector("canvas.pixi-badge") !== null, undefined, { timeoutMs: 15_000 });
    recordFigures({ offlineBy: await goOffline(session, [server.httpServer]) });
    await page.reload();
    await waitForGame(page);
    // The hashed URL of the build: the pkg index has loaded with the game.
    const url = await page.evaluate(() => (window as Window & { assetServer?: { urlOf(uri: string): string } }).assetServer!.urlOf("pkg://game/sounds/theme.wav"));
    expect(url).toMatch(/\/assets\/pkg\/game\/sounds\/theme-[0-9a-f]{10}\.wav$/);
    const seeks = await page.evaluate(async () => {
      const audio = (window as Window & { demoMusic?: HTMLAudioElement }).demoMusic!;
      const when = (event: string) => new Promise<boolean>((resolve) => {
        audio.addEventListener(event, () => resolve(true), { once: true });
        audio.addEventListener("error", () => resolve(false), { once: true });
      });
      const metadata = when("loadedmetadata");
      audio.preload = "auto";
      audio.src = (window as Window & { assetServer?: { urlOf(uri: string): string } }).assetServer!.urlOf("pkg://game/sounds/theme.wav");
      if (!(await metadata)) return { error: audio.error?.code ?? -1, at: [] as number[] };
      const at: number[] = [];
      for (const to of [1.5, 4, 6]) {
        const seeked = when("seeked");
        audio.currentTime = to;
        if (!(await seeked)) return { error: audio.error?.code ?? -1, at };
        at.push(Math.round(audio.currentTime * 2) / 2);
      }
      return { error: null, at };
    });
    expect(seeks).toEqual({ error: null, at: [1.5, 4, 6] });
    // The stable URL urlOf gives before the index has loaded: the worker maps it to the hashed file.
    const stable = await page.evaluate(async () => {
      const response = await fetch("@simvx-pkg/game/sounds/theme.wav", { headers: { Range: "bytes=0-3" } });
      return { status: response.status, contentRange: response.headers.get("content-range"), servedFrom: response.headers.get("x-simvx-served-from"), bytes: (await response.arrayBuffer()).byteLength };
    });
    expect(stable).toMatchObject({ status: 206, contentRange: expect.stringMatching(/^bytes 0-3\/\d+$/), servedFrom: "persistent", bytes: 4 });
    await page.waitForFunction(() => document.querySelector("canvas.pixi-badge") !== null, undefined, { timeoutMs: 15_000 });
  });
});
