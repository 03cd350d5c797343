import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "vite";
import type { PkgIndex } from "../src/kernel/PkgIndex.js";
import { simvxAssets } from "../vite/simvxAssets.js";
import { consoleRecorderPlugin } from "./support/consoleRecorder.js";
import { type CountingStaticServer, startCountingStaticServer } from "./support/countingStaticServer.js";
import { test as base, expect } from "./support/engineTest.js";
import { recordFigures } from "./support/figures.js";
import type { LoadedFile } from "./pages/packs/main.js";

const PAGES = fileURLToPath(new URL("./pages/packs/", import.meta.url));
const OUT_DIR = fileURLToPath(new URL("./artifacts/packs-build/", import.meta.url));
const TILES = 40;
const CONTENT_FILES = 60;

interface App {
  server: CountingStaticServer;
  index: PkgIndex;
  /** Build-output path of a pkg file's own URL, and of its pack. */
  ownPath(path: string): string;
  packPath(path: string): string;
}

const tileText = (i: number) => `tile ${i} `.repeat(20 + i);
const contentText = (i: number, rev = 1) => `content ${i} rev ${rev} `.repeat(10);

const test = base.extend<object, { app: App }>({
  app: [
    // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring.
    async ({}, use) => {
      const assets = await mkdtemp(join(tmpdir(), "simvx-packs-"));
      await mkdir(join(assets, "tiles"));
      for (let i = 0; i < TILES; i++) await writeFile(join(assets, "tiles", `t${String(i).padStart(2, "0")}.txt`), tileText(i));
      await writeFile(join(assets, "huge.bin"), "h".repeat(100 * 1024)); // over fileBytes: never packed
      await build({
        root: PAGES,
        configFile: false,
        logLevel: "warn",
        plugins: [consoleRecorderPlugin(), simvxAssets({ packages: { game: assets }, worker: false })],
        build: { outDir: OUT_DIR, emptyOutDir: true },
      });
      await rm(assets, { recursive: true, force: true });
      const indexPath = join(OUT_DIR, "simvx-assets/pkg-index.json");
      const index = JSON.parse(await readFile(indexPath, "utf8")) as PkgIndex;
      const fileOf = (path: string) => index.packages.game!.files[path]!;
      const server = await startCountingStaticServer(OUT_DIR);
      await use({
        server,
        index,
        ownPath: (path) => new URL(fileOf(path).url, "http://x/simvx-assets/").pathname,
        packPath: (path) => new URL(index.packs![fileOf(path).pack!.id]!.url, "http://x/simvx-assets/").pathname,
      });
      await server.close();
    },
    { scope: "worker" },
  ],
});

test.beforeEach(({ app }) => {
  app.server.reset();
  app.server.setRanges(true);
  app.server.override("/none", new Uint8Array());
});

/**
 * Requests for pkg:// bytes (the index, packs, files), leaving out the app's own page and scripts,
 * and the server's check for a new build at start (`?simvx-assets=update-check`: issue 12's, counted there).
 */
function assetRequests(server: CountingStaticServer): Record<string, number> {
  const assets = ([path]: [string, number]) => (path.startsWith("/assets/pkg/") || path.startsWith("/simvx-assets/") || path.startsWith("/content/")) && !path.includes("update-check");
  return Object.fromEntries(Object.entries(server.byPath).filter(assets));
}

const tile = (i: number) => `tiles/t${String(i).padStart(2, "0")}.txt`;

test.describe("packs: one request for many files", () => {
  test("a folder on a first visit comes from its pack: the index and the pack, not one request per file", async ({ app, tab }) => {
    await tab.goto(`${app.server.url}/index.html`);
    await tab.waitForFunction(() => document.getElementById("status")?.textContent === "ready");
    app.server.reset();
    const files: LoadedFile[] = await tab.evaluate(() => window.packs.loadFolder("pkg://game/tiles/"));
    expect(files).toHaveLength(TILES);
    files.forEach((file, i) => expect(file).toMatchObject({ state: "loaded", text: tileText(i) }));
    const requests = assetRequests(app.server);
    const packs = new Set(Array.from({ length: TILES }, (_, i) => app.packPath(tile(i))));
    expect(Object.keys(requests).sort()).toEqual(["/simvx-assets/pkg-index.json", ...packs].sort());
    const total = Object.values(requests).reduce((sum, n) => sum + n, 0);
    expect(total).toBeLessThanOrEqual(packs.size + 1);
    recordFigures({ files: TILES, requests: total, packs: packs.size });

    // Each file was stored on its own: a later load of one needs no pack and no request.
    await tab.reload();
    await tab.waitForFunction(() => document.getElementById("status")?.textContent === "ready");
    app.server.reset();
    const again = await tab.evaluate((uri) => window.packs.loadGroup([uri]), `pkg://game/${tile(7)}`);
    expect(again[0]).toMatchObject({ state: "loaded", text: tileText(7), servedFrom: "persistent" });
    expect(assetRequests(app.server)).toEqual({ "/simvx-assets/pkg-index.json": 1 });
  });

  test("a single file that is not stored is fetched alone, through its own URL", async ({ app, tab }) => {
    await tab.goto(`${app.server.url}/index.html`);
    await tab.waitForFunction(() => document.getElementById("status")?.textContent === "ready");
    app.server.reset();
    const files = await tab.evaluate((uri) => window.packs.loadGroup([uri]), `pkg://game/${tile(3)}`);
    expect(files[0]).toMatchObject({ state: "loaded", text: tileText(3) });
    expect(assetRequests(app.server)).toEqual({ "/simvx-assets/pkg-index.json": 1, [app.ownPath(tile(3))]: 1 });
  });

  test("part of a pack comes as one byte range; a server that ignores Range still works", async ({ app, tab }) => {
    await tab.goto(`${app.server.url}/index.html`);
    await tab.waitForFunction(() => document.getElementById("status")?.textContent === "ready");
    for (const honoured of [true, false]) {
      app.server.setRanges(honoured);
      app.server.reset();
      const wanted = honoured ? [2, 3, 4] : [10, 11, 12];
      const files = await tab.evaluate((uris) => window.packs.loadGroup(uris), wanted.map((i) => `pkg://game/${tile(i)}`));
      files.forEach((file, i) => expect(file).toMatchObject({ state: "loaded", text: tileText(wanted[i]!) }));
      expect(app.server.byPath[app.packPath(tile(wanted[0]!))]).toBe(1);
      expect(app.server.rangeRequests()).toBe(1);
      expect(Object.keys(assetRequests(app.server)).filter((path) => path === app.ownPath(tile(wanted[0]!)))).toEqual([]);
    }
  });

  test("a corrupt pack fails only the affected file, with INTEGRITY, and nothing wrong is stored", async ({ app, tab }) => {
    const packPath = app.packPath(tile(5));
    const pack = new Uint8Array(await readFile(join(OUT_DIR, packPath)));
    const slice = app.index.packages.game!.files[tile(5)]!.pack!;
    pack[slice.offset + 3]! ^= 0xff;
    app.server.override(packPath, pack);
    await tab.goto(`${app.server.url}/index.html`);
    await tab.waitForFunction(() => document.getElementById("status")?.textContent === "ready");
    const files = await tab.evaluate(() => window.packs.loadFolder("pkg://game/tiles/"));
    const failed = files.filter((file) => file.state !== "loaded");
    expect(failed).toEqual([expect.objectContaining({ uri: `pkg://game/${tile(5)}`, state: "failed", code: "INTEGRITY" })]);
    // Nothing wrong was kept: loaded again alone, through its own URL, it is whole.
    await tab.evaluate(() => window.packs.forgetMemory());
    app.server.reset();
    const again = await tab.evaluate((uri) => window.packs.loadGroup([uri]), `pkg://game/${tile(5)}`);
    expect(again[0]).toMatchObject({ state: "loaded", text: tileText(5), servedFrom: "network" });
    expect(app.server.byPath[app.ownPath(tile(5))]).toBe(1);
  });
});

test.describe("content-addressed manifests", () => {
  test("revalidating an unchanged manifest of entries with integrity costs one request; one changed entry costs two", async ({ app, tab }) => {
    const folder = join(OUT_DIR, "content");
    await mkdir(folder, { recursive: true });
    const writeManifest = async (rev: (i: number) => number) => {
      const assets = [];
      for (let i = 0; i < CONTENT_FILES; i++) {
        const text = contentText(i, rev(i));
        await writeFile(join(folder, `c${i}.txt`), text);
        const integrity = `sha256-${Buffer.from(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text))).toString("base64")}`;
        assets.push({ uri: `c${i}.txt`, size: Buffer.byteLength(text), integrity });
      }
      await writeFile(join(folder, "manifest.json"), JSON.stringify({ assets }));
    };
    await writeManifest(() => 1);
    const manifestUrl = `${app.server.url}/content/manifest.json`;
    const open = async () => {
      await tab.goto(`${app.server.url}/index.html`);
      await tab.waitForFunction(() => document.getElementById("status")?.textContent === "ready");
      app.server.reset();
    };
    await open();
    const first = await tab.evaluate((url) => window.packs.loadManifest(url), manifestUrl);
    expect(first.filter((file) => file.state === "loaded")).toHaveLength(CONTENT_FILES);
    const firstRequests = Object.values(assetRequests(app.server)).reduce((sum, n) => sum + n, 0);

    await open();
    const unchanged = await tab.evaluate((url) => window.packs.loadManifest(url), manifestUrl);
    expect(unchanged.every((file) => file.state === "loaded")).toBe(true);
    expect(assetRequests(app.server)).toEqual({ "/content/manifest.json": 1 });

    await writeManifest((i) => (i === 17 ? 2 : 1));
    await open();
    const changed = await tab.evaluate((url) => window.packs.loadManifest(url), manifestUrl);
    expect(changed.find((file) => file.uri.endsWith("/c17.txt"))).toMatchObject({ state: "loaded", text: contentText(17, 2), servedFrom: "network" });
    expect(assetRequests(app.server)).toEqual({ "/content/manifest.json": 1, "/content/c17.txt": 1 });
    recordFigures({ entries: CONTENT_FILES, firstVisitRequests: firstRequests, unchangedRequests: 1, oneChangedRequests: 2 });
  });
});
