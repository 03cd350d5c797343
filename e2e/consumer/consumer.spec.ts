// The package as a user gets it: `npm pack`, installed with the npm registry into a fresh Vite +
// TypeScript game that this test writes in a temp folder, then type-checked, built and played in
// Chromium from `vite preview`. Run by `npm test` (or alone: `node scripts/test.mjs consumer`).
//
// Chromium only: what is tested here is the package (its files, exports, types and the plugin in
// someone else's build), which does not depend on the engine; the three-engine suites (e2e/*.spec.ts)
// cover how the library behaves in each browser.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "@playwright/test";
import { type Browser, chromium, type Page } from "playwright-core";
import { freePort } from "../engines/freePort.js";
import { OwnedProcess } from "../engines/OwnedProcess.js";
import { chromiumLaunchOptions } from "../support/chromium.js";
import { BEEP_BYTES, HELLO_TEXT, LEVEL, LOADED_PATHS, type LoadedReport, writeConsumerApp } from "./consumerApp.js";

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** Packing builds the library first (`prepack`), then the app installs from the registry. */
const SETUP_MS = 240_000;
const COMMAND_MS = 180_000;
/** How long a page has to register a worker, if it was going to: `register()` resolves well within it. */
const REGISTRATION_WATCH_MS = 2_000;

/** What the app's page exposes (see `consumerApp.ts`), as the test reads it. */
interface AppWindow {
  loaded: Promise<LoadedReport>;
  bare: Promise<{ state: string }>;
  assetServer: {
    clearCaches(opts: { persistent: boolean }): Promise<void>;
    persistentStats(): Promise<{ entries: number } | null>;
  };
}

/**
 * The environment for the npm commands, without what an outer `npm test` put there for itself:
 * `npm_config_local_prefix` (the repository) would make `npm install` in the app install into the
 * repository. Settings a user gives npm by environment (`npm_config_registry`, proxies) stay.
 */
function commandEnv(): NodeJS.ProcessEnv {
  const outerNpm = /^(npm_package_|npm_lifecycle_|npm_config_(local_prefix|call|user_agent|npm_version|node_gyp|global_prefix|prefix)$)|^(npm_command|npm_execpath|npm_node_execpath|init_cwd)$/i;
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !outerNpm.test(name)));
}

/** Runs a command to its end; rejects with the tail of its output when it fails. */
function run(command: string, args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, env: commandEnv(), timeout: COMMAND_MS, maxBuffer: 64 * 2 ** 20 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.join(" ")} failed (${error.message.split("\n")[0]}):\n${`${stdout}\n${stderr}`.trim().slice(-4_000)}`));
      else resolve(stdout);
    });
  });
}

/** The version of a devDependency as this repository has it installed, so the app gets the same. */
async function installedVersion(name: string): Promise<string> {
  const manifest = JSON.parse(await readFile(join(REPO_ROOT, "node_modules", name, "package.json"), "utf8")) as { version: string };
  return manifest.version;
}

interface Preview {
  url: string;
  stop(): Promise<void>;
}

/** `vite preview` of the app's build, the app's own Vite, on 127.0.0.1 and a free port. */
async function startPreview(app: string): Promise<Preview> {
  const port = await freePort();
  const vite = join(app, "node_modules", ".bin", "vite");
  const server = new OwnedProcess("vite preview", vite, ["preview", app, "--host", "127.0.0.1", "--port", String(port), "--strictPort"], commandEnv());
  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const answered = await fetch(url).then((response) => response.ok, () => false);
    if (answered) break;
    if (server.hasExited || Date.now() > deadline) {
      await server.stop();
      throw new Error(`vite preview did not serve ${url}: ${server.output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url, stop: () => server.stop() };
}

async function loadedAssets(page: Page): Promise<LoadedReport> {
  await page.waitForFunction(() => (window as unknown as Partial<AppWindow>).loaded !== undefined);
  return page.evaluate(() => (window as unknown as AppWindow).loaded);
}

function expectAssetValues(report: LoadedReport): void {
  expect(report.text).toBe(HELLO_TEXT);
  expect(report.level).toEqual(LEVEL);
  expect(report.bytes).toEqual(BEEP_BYTES);
}

let work = "";
let app = "";
let browser: Browser | undefined;

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  test.setTimeout(SETUP_MS);
  work = await mkdtemp(join(tmpdir(), "simvx-consumer-"));
  // `prepack` builds the library (`npm run build:lib`): the tarball holds what the sources are now.
  const packed = JSON.parse(await run("npm", ["pack", "--json", "--pack-destination", work], REPO_ROOT)) as Array<{ filename: string }>;
  const tarball = join(work, packed[0]!.filename);
  app = join(work, "app");
  await writeConsumerApp(app, { tarball, vite: await installedVersion("vite"), typescript: await installedVersion("typescript") });
  // The registry (through npm's own cache where it can) and the tarball: nothing from this repository.
  await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline"], app);
  browser = await chromium.launch(chromiumLaunchOptions());
});

test.afterAll(async () => {
  await browser?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

test("the app type-checks against the package's declarations (tsc --noEmit, strict)", async () => {
  await run(join(app, "node_modules", ".bin", "tsc"), ["--noEmit", "-p", app], app);
});

test("vite build emits the asset worker, with the app shell to precache, and the pkg:// index", async () => {
  await run(join(app, "node_modules", ".bin", "vite"), ["build"], app);
  const worker = join(app, "dist", "asset-sw.js");
  expect(existsSync(worker)).toBe(true);
  expect(await readFile(worker, "utf8")).toContain("index.html");
  const index = JSON.parse(await readFile(join(app, "dist", "simvx-assets", "pkg-index.json"), "utf8")) as { packages: Record<string, { files: Record<string, unknown> }> };
  expect(Object.keys(index.packages.game?.files ?? {}).sort()).toEqual([...LOADED_PATHS].sort());
});

test("the page bundle holds no Node-only code", async () => {
  const chunks = join(app, "dist", "assets");
  const nodeImports: string[] = [];
  for (const name of (await readdir(chunks)).filter((file) => file.endsWith(".js"))) {
    for (const match of (await readFile(join(chunks, name), "utf8")).matchAll(/["'`](node:[a-z_/]+)["'`]/g)) nodeImports.push(`${name}: ${match[1]}`);
  }
  expect(nodeImports).toEqual([]);
});

test("new AssetServer() registers no service worker", async () => {
  const preview = await startPreview(app);
  const context = await browser!.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${preview.url}?bare`);
    await page.waitForFunction(() => (window as unknown as Partial<AppWindow>).bare !== undefined);
    expect(await page.evaluate(() => (window as unknown as AppWindow).bare)).toEqual({ state: "loaded" });
    const scopes = new Set<string>();
    for (const started = Date.now(); Date.now() - started < REGISTRATION_WATCH_MS; await new Promise((resolve) => setTimeout(resolve, 200))) {
      for (const scope of await page.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).map((registration) => registration.scope))) scopes.add(scope);
    }
    expect([...scopes]).toEqual([]);
    expect(await page.evaluate(() => navigator.serviceWorker.controller === null)).toBe(true);
  } finally {
    await context.close();
    await preview.stop();
  }
});

test("AssetServer.instance() loads the pkg:// assets through its worker, and again offline", async () => {
  const preview = await startPreview(app);
  const index = JSON.parse(await readFile(join(app, "dist", "simvx-assets", "pkg-index.json"), "utf8")) as {
    packages: { game: { files: Record<string, { url: string; pack?: { id: string } }> } };
    packs?: Record<string, { url: string }>;
  };
  const indexUrl = new URL("simvx-assets/pkg-index.json", preview.url);
  // Where the worker fetches each asset: its pack when the build packed it (several loaded
  // together come in one request, issue 15), else its own hashed URL.
  const assetUrls = LOADED_PATHS.map((path) => {
    const file = index.packages.game.files[path]!;
    const pack = file.pack === undefined ? undefined : index.packs?.[file.pack.id];
    return new URL(pack?.url ?? file.url, indexUrl).href;
  });
  const context = await browser!.newContext();
  try {
    const workerRequests: string[] = [];
    context.on("request", (request) => {
      if (request.serviceWorker()) workerRequests.push(request.url());
    });
    const page = await context.newPage();

    // First visit: the page loads before any worker controls it; instance() registers one.
    await page.goto(preview.url);
    expectAssetValues(await loadedAssets(page));
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 30_000 });
    expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).map((registration) => registration.active?.scriptURL))).toEqual([`${preview.url}asset-sw.js`]);

    // Emptied store, controlled page: every asset has to come from the network, and the worker fetches it.
    await page.evaluate(() => (window as unknown as AppWindow).assetServer.clearCaches({ persistent: true }));
    await page.reload();
    const online = await loadedAssets(page);
    expectAssetValues(online);
    expect(online.controlled).toBe(true);
    expect(online.servedFrom).toEqual(["network", "network", "network"]);
    for (const url of assetUrls) expect(workerRequests).toContain(url);
    // The worker stores what it fetched once it has answered; asking for its figures sends the stores.
    await expect.poll(() => page.evaluate(async () => (await (window as unknown as AppWindow).assetServer.persistentStats())?.entries ?? 0), { timeout: 10_000 }).toBeGreaterThanOrEqual(LOADED_PATHS.length);

    // Offline: the server is gone and the browser has no network; the worker starts the app and serves its assets.
    await preview.stop();
    await context.setOffline(true);
    const requestsBefore = workerRequests.length;
    await page.reload();
    const offline = await loadedAssets(page);
    expectAssetValues(offline);
    expect(offline.controlled).toBe(true);
    expect(offline.servedFrom).toEqual(["persistent", "persistent", "persistent"]);
    expect(workerRequests.slice(requestsBefore).filter((url) => assetUrls.includes(url))).toEqual([]);
  } finally {
    await context.close();
    await preview.stop();
  }
});
