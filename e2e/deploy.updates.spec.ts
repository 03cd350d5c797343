import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "vite";
import { startTestOrigin, type TestOrigin } from "../test/support/engine/testOrigin.js";
import type { PkgIndex } from "../src/kernel/PkgIndex.js";
import { simvxAssets } from "../vite/index.js";
import type { TestPage } from "./engines/TestPage.js";
import type { LoadReport } from "./redeploy/main.js";
import { consoleRecorderPlugin } from "./support/consoleRecorder.js";
import { engine, expect, test } from "./support/engineTest.js";
import { recordFigures } from "./support/figures.js";
import { serveBuild } from "./support/servedBuild.js";

// Issue 12, "Updates after a deploy": a small app built twice, the second time with ONE pkg file
// changed, served from a counting origin whose root is swapped to the second build in place.
const FIXTURE = fileURLToPath(new URL("./redeploy/", import.meta.url));
const REPO_ROOT = fileURLToPath(new URL("../", import.meta.url));
const CHANGED = "greeting.txt";
const CHANGED_URI = `pkg://game/${CHANGED}`;
const INDEX_PATH = "/simvx-assets/pkg-index.json";
/** An HTTP asset whose first request the origin holds while the worker is switched. */
const HELD_PATH = "/held.txt";

interface Built {
  dir: string;
  index: PkgIndex;
  /** Path of the changed file's content-hashed URL on the origin. */
  changedPath: string;
  changedSize: number;
  indexBytes: number;
}

/** Builds the fixture; `lazyText` is its lazily imported chunk's content (another one changes the shell). */
async function buildFixture(assets: string, outDir: string, lazyText = "first"): Promise<Built> {
  await build({
    root: FIXTURE,
    configFile: false,
    logLevel: "warn",
    define: { __REDEPLOY_LAZY__: JSON.stringify(lazyText) },
    plugins: [consoleRecorderPlugin(), simvxAssets({ packages: { game: assets } })],
    build: { outDir, emptyOutDir: true },
  });
  const text = await readFile(join(outDir, INDEX_PATH), "utf8");
  const index = JSON.parse(text) as PkgIndex;
  const entry = index.packages.game!.files[CHANGED]!;
  return { dir: outDir, index, changedPath: new URL(entry.url, `http://x${INDEX_PATH}`).pathname, changedSize: entry.size, indexBytes: Buffer.byteLength(text) };
}

async function openReady(page: TestPage, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForFunction(() => document.getElementById("status")?.textContent === "ready", undefined, { timeoutMs: 30_000 });
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeoutMs: 30_000 });
}

async function reloadReady(page: TestPage): Promise<void> {
  await page.reload();
  await page.waitForFunction(() => document.getElementById("status")?.textContent === "ready", undefined, { timeoutMs: 30_000 });
}

const contentOf = (reports: LoadReport[], uri: string): string | null => reports.find((report) => report.uri === uri)?.content ?? null;

test.describe("updates after a deploy (a real redeploy of a built app)", () => {
  let work: string;
  let first: Built;
  let second: Built;
  /** The first build's pkg files with another app shell (its lazy chunk changed). */
  let shellOnly: Built;
  let origin: TestOrigin | null = null;

  test.beforeAll(async () => {
    test.setTimeout(120_000);
    work = await mkdtemp(join(tmpdir(), "simvx-redeploy-"));
    const assets = join(work, "assets");
    await cp(join(FIXTURE, "assets"), assets, { recursive: true });
    first = await buildFixture(assets, join(work, "first"));
    shellOnly = await buildFixture(assets, join(work, "shell-only"), "third");
    await writeFile(join(assets, CHANGED), "hello from the second build\n");
    second = await buildFixture(assets, join(work, "second"));
  });

  test.afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  test.afterEach(async () => {
    await origin?.close();
    origin = null;
  });

  test("the builds differ in one pkg file, so in their build ids", () => {
    expect(first.index.build).toMatch(/^[0-9a-f]{20}$/);
    expect(second.index.build).not.toBe(first.index.build);
    expect(second.index.shell).toEqual(first.index.shell);
  });

  test("two open tabs: one check lists the changed file with one request, both tabs hear of it, apply downloads it once with the index and the worker, the old build runs until reload, then the new one runs offline", async ({ session, tab: tabA }) => {
    test.setTimeout(120_000);
    const server = await startTestOrigin();
    origin = server;
    const served = await serveBuild(server, first.dir);
    await openReady(tabA, `${server.url}/`);
    const tabB = await session.newPage();
    await openReady(tabB, `${server.url}/`);
    // Both run the first build; awaiting a check also waits for the one each made as it started.
    expect(await tabA.evaluate(() => window.redeploy.check())).toBeNull();
    expect(await tabB.evaluate(() => window.redeploy.check())).toBeNull();

    // The deploy: the origin serves the second build in place of the first.
    await serveBuild(server, second.dir, served);
    server.reset();
    const info = await tabA.evaluate(() => window.redeploy.check());
    const checkRequests = { ...server.counts.byPath };
    expect(info).toEqual({ build: second.index.build, changed: [CHANGED_URI], added: [], removed: [], bytes: second.changedSize + second.indexBytes });
    expect(checkRequests).toEqual({ [INDEX_PATH]: 1 });

    // The other tab hears of it from the first one, without a request of its own.
    for (const tab of [tabA, tabB]) await tab.waitForFunction(() => window.redeploy.seen.available.length === 1, undefined, { timeoutMs: 10_000 });
    const beforeApply = { ...server.counts.byPath };

    // Tab B has a load in flight at the origin (held there) while the worker is switched.
    server.setAsset(HELD_PATH, "held across the switch");
    server.fault(HELD_PATH, { kind: "hold", times: 1 });
    await tabB.evaluate((url) => window.redeploy.startHttp(url), `${server.url}${HELD_PATH}`);
    await server.waitForRequests(HELD_PATH, 1);

    // Both tabs apply at once. Over the whole update the new file is fetched once and the index
    // twice (the check, then the new worker's precache). Browsers also check the worker script on
    // their own after a worker event: Firefox installed the new worker right after the check (its
    // install stored the file, and applyUpdate found it stored); WebKit checked it again, byte for
    // byte, a second after the download's message. So the worker script counts at least once.
    await Promise.all([tabA.evaluate(() => window.redeploy.startApply()), tabB.evaluate(() => window.redeploy.startApply())]);
    // The browser switches workers once the old one has no event left: the held load is let go
    // once the new worker has installed (and is waiting for it, or has taken over already).
    await tabA.waitForFunction(() => navigator.serviceWorker.getRegistration().then((registration) => registration?.waiting != null || window.redeploy.seen.ready.length > 0), undefined, { timeoutMs: 30_000 });
    server.release();
    const [appliedA, appliedB] = await Promise.all([tabA.evaluate(() => window.redeploy.applied()), tabB.evaluate(() => window.redeploy.applied())]);
    for (const tab of [tabA, tabB]) await tab.waitForFunction(() => window.redeploy.seen.ready.length === 1, undefined, { timeoutMs: 30_000 });
    const held = await tabB.evaluate(() => window.redeploy.httpResult());
    expect(held).toMatchObject({ state: "loaded", content: "held across the switch", completedEmits: 1 });
    const { [HELD_PATH]: heldRequests = 0, ...updateRequests } = server.counts.byPath;
    const seenA = await tabA.evaluate(() => window.redeploy.seen);
    const seenB = await tabB.evaluate(() => window.redeploy.seen);
    expect(appliedA.errors).toEqual([]);
    expect(appliedB.errors).toEqual([]);
    const { "/asset-sw.js": workerScript = 0, ...files } = updateRequests;
    expect(files).toEqual({ [INDEX_PATH]: 2, [second.changedPath]: 1 });
    expect(workerScript).toBeGreaterThanOrEqual(1);
    for (const seen of [seenA, seenB]) {
      expect(seen.available).toEqual([info]);
      expect(seen.ready).toEqual([info]);
    }

    // Tab B has not reloaded: it still runs the first build, its files served from the store.
    server.reset();
    const oldBuild = await tabB.evaluate(() => window.redeploy.loadAll());
    expect(contentOf(oldBuild, CHANGED_URI)).toBe("hello from the first build\n");
    expect(oldBuild.every((report) => report.state === "loaded")).toBe(true);
    expect(server.counts.requests).toBe(0);

    // Tab A reloads: the second build runs, from the new worker's precache and the store.
    await reloadReady(tabA);
    const newBuild = await tabA.evaluate(() => window.redeploy.loadAll());
    expect(contentOf(newBuild, CHANGED_URI)).toBe("hello from the second build\n");
    const reloadRequests = { ...server.counts.byPath };

    // Offline: the old build (tab B, not reloaded) keeps working, and the new one starts.
    const offlineBy = session.network ? (await session.network.setOffline(true), "browser emulation") : (await server.close(), (origin = null), "servers down");
    const oldOffline = await tabB.evaluate(() => window.redeploy.loadAll());
    expect(oldOffline.map((report) => report.state)).toEqual(["loaded", "loaded", "loaded", "loaded"]);
    expect(contentOf(oldOffline, CHANGED_URI)).toBe("hello from the first build\n");
    await reloadReady(tabA);
    const newOffline = await tabA.evaluate(() => window.redeploy.loadAll());
    expect(newOffline.map((report) => report.state)).toEqual(["loaded", "loaded", "loaded", "loaded"]);
    expect(contentOf(newOffline, CHANGED_URI)).toBe("hello from the second build\n");

    // Once no tab runs the first build, its changed file leaves the store; the second build's stays.
    const oldUrl = new URL(first.changedPath, server.url).href;
    const newUrl = new URL(second.changedPath, server.url).href;
    expect(await tabA.evaluate(() => window.redeploy.storedUrls())).toContain(oldUrl);
    await reloadReady(tabB);
    await tabB.waitForFunction((url) => window.redeploy.storedUrls().then((urls) => !urls.includes(url)), oldUrl, { timeoutMs: 15_000 });
    const stored = await tabB.evaluate(() => window.redeploy.storedUrls());
    expect(stored).toContain(newUrl);

    recordFigures({
      checkRequests,
      info,
      beforeApply,
      updateRequests,
      heldLoad: { ...held, originRequests: heldRequests },
      apply: { tabA: appliedA, tabB: appliedB },
      oldBuildBeforeReload: oldBuild.map((report) => report.servedFrom),
      reloadRequests,
      offlineBy,
      storedAfterPrune: stored.length,
    });
    await tabB.close();
  });

  test("a deploy that changes only the app shell: the running build can still import its own lazy chunk after the switch, offline, and the reload runs the new shell", async ({ session, tab }) => {
    const server = await startTestOrigin();
    origin = server;
    const served = await serveBuild(server, first.dir);
    await openReady(tab, `${server.url}/`);
    expect(await tab.evaluate(() => window.redeploy.check())).toBeNull();
    await serveBuild(server, shellOnly.dir, served);
    server.reset();
    const info = await tab.evaluate(() => window.redeploy.check());
    expect(info).toMatchObject({ build: shellOnly.index.build, changed: [], added: [], removed: [] });
    // The changed shell files (the entry and the lazy chunk, and the page that names the entry) and the index.
    const changedShell = shellOnly.index.shell!.filter((file) => !first.index.shell!.some((old) => old.url === file.url && old.revision === file.revision));
    expect(info!.bytes).toBe(changedShell.reduce((sum, file) => sum + file.size, shellOnly.indexBytes));
    await tab.evaluate(() => window.redeploy.startApply());
    const applied = await tab.evaluate(() => window.redeploy.applied());
    expect(applied).toMatchObject({ total: 1, failed: 0, uris: ["simvx-update://apply-1/shell"] });
    await tab.waitForFunction(() => window.redeploy.seen.ready.length === 1, undefined, { timeoutMs: 30_000 });
    const updateRequests = { ...server.counts.byPath };

    // The page still runs the first build; its lazy chunk was never loaded, and the host has it no more.
    const offlineBy = session.network ? (await session.network.setOffline(true), "browser emulation") : (await server.close(), (origin = null), "servers down");
    const oldLazy = await tab.evaluate(() => window.redeploy.lazyText());
    expect(oldLazy).toBe("first");
    await reloadReady(tab);
    expect(await tab.evaluate(() => window.redeploy.lazyText())).toBe("third");
    recordFigures({ info, changedShell: changedShell.map((file) => file.url), updateRequests, offlineBy, oldLazy });
  });

  test("a new asset-sw.js of the build the pages run (only the worker changed) takes over at once, and a load in flight still ends loaded once", async ({ tab }) => {
    const server = await startTestOrigin();
    origin = server;
    await serveBuild(server, first.dir);
    await openReady(tab, `${server.url}/`);
    expect(await tab.evaluate(() => window.redeploy.check())).toBeNull();
    server.setAsset(HELD_PATH, "held across the switch");
    server.fault(HELD_PATH, { kind: "hold", times: 1 });
    await tab.evaluate((url) => window.redeploy.startHttp(url), `${server.url}${HELD_PATH}`);
    await server.waitForRequests(HELD_PATH, 1);

    // Another script URL for the scope is an update of the worker, with the same build inside.
    const before = await tab.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? null);
    await tab.evaluate(() => navigator.serviceWorker.register("/asset-sw.js?worker-only-update", { scope: "/" }).then(() => undefined));
    await tab.waitForFunction(() => navigator.serviceWorker.getRegistration().then((registration) => registration?.installing == null), undefined, { timeoutMs: 30_000 });
    server.release();
    await tab.waitForFunction((old) => navigator.serviceWorker.controller !== null && navigator.serviceWorker.controller.scriptURL !== old, before, { timeoutMs: 30_000 });
    const held = await tab.evaluate(() => window.redeploy.httpResult());
    expect(held).toMatchObject({ state: "loaded", content: "held across the switch", completedEmits: 1 });
    // Not an update of the game: nothing announced, and its files still load.
    expect(await tab.evaluate(() => window.redeploy.seen)).toEqual({ available: [], ready: [] });
    const reports = await tab.evaluate(() => window.redeploy.loadAll());
    expect(reports.map((report) => report.state)).toEqual(["loaded", "loaded", "loaded", "loaded"]);
    recordFigures({ heldLoad: held, heldRequests: server.counts.byPath[HELD_PATH] ?? 0, controller: await tab.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? null) });
  });

  test("a page request and a load() of one pkg file at once make one request (issue 14)", async ({ tab }) => {
    const server = await startTestOrigin();
    origin = server;
    await serveBuild(server, first.dir);
    await openReady(tab, `${server.url}/`);
    const entry = first.index.packages.game!.files["level.json"]!;
    const path = new URL(entry.url, `http://x${INDEX_PATH}`).pathname;
    server.reset();
    // Held at the origin until both have asked: a second request, had they not shared, would come meanwhile.
    server.fault(path, { kind: "hold", times: 1 });
    await tab.evaluate(() => window.redeploy.readTwice("pkg://game/level.json"));
    await server.waitForRequests(path, 1);
    server.release();
    const result = await tab.evaluate(() => window.redeploy.readTwiceResult());
    expect(result.fetched).toBe(`200 ${entry.size} bytes`);
    expect(JSON.parse(result.loaded)).toEqual(JSON.parse(await readFile(join(FIXTURE, "assets/level.json"), "utf8")));
    expect(server.counts.byPath[path]).toBe(1);
  });

  test("a check that cannot read the index (malformed, not found, offline) fails with its code and announces nothing", async ({ session, tab }) => {
    const server = await startTestOrigin();
    origin = server;
    await serveBuild(server, first.dir);
    await openReady(tab, `${server.url}/`);
    expect(await tab.evaluate(() => window.redeploy.check())).toBeNull();

    const failures: Record<string, { code: string; message: string } | null> = {};
    server.setAsset(INDEX_PATH, "{ not json", { contentType: "application/json" });
    failures.malformed = await tab.evaluate(() => window.redeploy.checkError());
    server.setAsset(INDEX_PATH, JSON.stringify({ version: 2, packages: {} }), { contentType: "application/json" });
    failures.wrongVersion = await tab.evaluate(() => window.redeploy.checkError());
    server.setAsset(INDEX_PATH, JSON.stringify({ ...second.index, build: 42 }), { contentType: "application/json" });
    failures.badBuild = await tab.evaluate(() => window.redeploy.checkError());
    server.deleteAsset(INDEX_PATH);
    failures.notFound = await tab.evaluate(() => window.redeploy.checkError());
    const offlineBy = session.network ? (await session.network.setOffline(true), "browser emulation") : (await server.close(), (origin = null), "servers down");
    failures.offline = await tab.evaluate(() => window.redeploy.checkError());

    recordFigures({ offlineBy, failures });
    expect(failures.malformed?.code).toBe("PARSE");
    expect(failures.wrongVersion?.code).toBe("PARSE");
    expect(failures.badBuild?.code).toBe("PARSE");
    expect(failures.notFound?.code).toBe("NOT_FOUND");
    expect(["NETWORK", "OFFLINE"]).toContain(failures.offline?.code);
    for (const failure of Object.values(failures)) expect(failure?.message).toContain(INDEX_PATH);
    // Nothing was taken for an update, and the running build still loads, offline too.
    expect(await tab.evaluate(() => window.redeploy.seen)).toEqual({ available: [], ready: [] });
    const reports = await tab.evaluate(() => window.redeploy.loadAll());
    expect(reports.map((report) => report.state)).toEqual(["loaded", "loaded", "loaded", "loaded"]);
  });
});

test.describe("the demo after a deploy", () => {
  let work: string;
  let first: string;
  let second: string;
  let origin: TestOrigin | null = null;

  test.beforeAll(async () => {
    test.setTimeout(120_000);
    work = await mkdtemp(join(tmpdir(), "simvx-demo-redeploy-"));
    const assets = join(work, "assets");
    await cp(join(REPO_ROOT, "demo/assets"), assets, { recursive: true });
    const buildDemo = (outDir: string) => build({ root: REPO_ROOT, configFile: false, logLevel: "warn", plugins: [consoleRecorderPlugin(), simvxAssets({ packages: { game: assets } })], build: { outDir, emptyOutDir: true } });
    first = join(work, "first");
    await buildDemo(first);
    await writeFile(join(assets, "text/credits.md"), `${await readFile(join(assets, "text/credits.md"), "utf8")}\nThanks for updating!\n`);
    second = join(work, "second");
    await buildDemo(second);
  });

  test.afterAll(async () => {
    await origin?.close();
    await rm(work, { recursive: true, force: true });
  });

  test('shows "update ready" with the files and bytes once the new build is stored, and reloads into it on click', async ({ tab }) => {
    test.setTimeout(90_000);
    const server = await startTestOrigin();
    origin = server;
    const served = await serveBuild(server, first);
    await tab.goto(`${server.url}/`);
    await tab.waitForFunction(() => document.querySelector("#app")?.getAttribute("data-scene") === "game", undefined, { timeoutMs: 60_000 });
    await tab.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeoutMs: 30_000 });
    await serveBuild(server, second, served);
    server.reset();
    // The demo checks when it starts and when it becomes visible again (10 min apart): ask now.
    await tab.evaluate(() => (window as unknown as { assetServer: { checkForUpdate(): Promise<unknown> } }).assetServer.checkForUpdate());
    await tab.waitForFunction(() => (document.querySelector("#update-toast") as HTMLElement | null)?.hidden === false, undefined, { timeoutMs: 30_000 });
    const toast = await tab.evaluate(() => document.querySelector("#update-toast")?.textContent ?? "");
    // credits.md, and the manifest that lists it: the plugin writes each entry's integrity into the
    // manifests it builds, so a changed file changes its manifest too (issue 15).
    expect(toast).toMatch(/^Update ready: 2 files, [\d.]+ KB\. Click to reload$/);
    const updateRequests = { ...server.counts.byPath };
    server.reset();
    await tab.screenshot(`e2e/artifacts/demo-update-ready-${engine}.png`);
    await tab.click("#update-toast");
    await tab.waitForFunction(() => document.querySelector("#app")?.getAttribute("data-scene") === "game" && (document.querySelector("#update-toast") as HTMLElement | null)?.hidden === true, undefined, { timeoutMs: 60_000 });
    const credits = await tab.evaluate(() => (window as unknown as { assetServer: { load(uri: string): { result(): Promise<unknown> } } }).assetServer.load("pkg://game/text/credits.md").result());
    expect(credits).toContain("Thanks for updating!");
    recordFigures({ toast, updateRequests, reloadRequests: server.counts.byPath });
  });
});

