import { existsSync } from "node:fs";
import puppeteer, { type Browser, type BrowserContext, type KeyInput, type Page } from "puppeteer-core";
import { type PageCommands, SessionPages } from "./CommandPage.js";
import type { BrowserSession, ConsoleEntry, EngineBrowser, Key, LaunchOptions, WorkerStops } from "./TestPage.js";

export const SYSTEM_FIREFOX = "/usr/bin/firefox-esr";

/**
 * A worker with nothing to do stops after `IDLE_MS`; one kept alive by `waitUntil` (a batch of
 * reads) is stopped `BUSY_LIMIT_MS` after that. These are Firefox's own idle timeouts (defaults
 * 30 s and 5 min), so the stop is the one players meet, only sooner.
 */
const IDLE_MS = 1_000;
const BUSY_LIMIT_MS = 3_000;
/** Firefox starts in 3–7 s here; the bound stays well inside a test's 60 s, so the error says why. */
const LAUNCH_TIMEOUT_MS = 30_000;
/** Fails a command the browser never answers, rather than waiting for ever. */
const PROTOCOL_TIMEOUT_MS = 180_000;

export function firefoxExecutable(): string | null {
  const path = process.env.SIMVX_FIREFOX ?? SYSTEM_FIREFOX;
  return existsSync(path) ? path : null;
}

/** Firefox through puppeteer-core over WebDriver BiDi. */
export async function launchFirefox(options: LaunchOptions = {}): Promise<EngineBrowser> {
  const executablePath = firefoxExecutable();
  if (!executablePath) throw new Error(`no Firefox at ${process.env.SIMVX_FIREFOX ?? SYSTEM_FIREFOX} (Debian: apt-get install firefox-esr)`);
  const browser = await puppeteer.launch({
    browser: "firefox",
    executablePath,
    headless: true,
    timeout: LAUNCH_TIMEOUT_MS,
    protocolTimeout: PROTOCOL_TIMEOUT_MS,
    extraPrefsFirefox: options.quickWorkerStops ? { "dom.serviceWorkers.idle_timeout": IDLE_MS, "dom.serviceWorkers.idle_extended_timeout": BUSY_LIMIT_MS } : {},
  });
  const workerStops: WorkerStops | null = options.quickWorkerStops ? { kind: "idle-timeout", idleMs: IDLE_MS, busyLimitMs: BUSY_LIMIT_MS } : null;
  return {
    engine: "firefox",
    version: `Firefox ${(await browser.version()).replace(/^firefox\//i, "")}`,
    newSession: () => newSession(browser, workerStops),
    close: () => browser.close(),
  };
}

async function newSession(browser: Browser, workerStops: WorkerStops | null): Promise<BrowserSession> {
  // A user context is a fresh profile of its own: its own workers, IndexedDB and caches.
  const context = await browser.createBrowserContext();
  const pages = new SessionPages(async () => puppeteerCommands(await context.newPage()));
  const first = await pages.open();
  return {
    engine: "firefox",
    consoleSource: "browser",
    page: first,
    newPage: () => pages.open(),
    pages: () => pages.all,
    workerStops,
    cdp: null,
    onWorkerRequest: null,
    network: null,
    close: () => closeContext(context),
  };
}

async function closeContext(context: BrowserContext): Promise<void> {
  if (!context.closed) await context.close();
}

const KEYS: Record<Key, KeyInput> = { ArrowRight: "ArrowRight", ArrowLeft: "ArrowLeft", Space: " " };

function puppeteerCommands(page: Page): PageCommands {
  const messages: ConsoleEntry[] = [];
  page.on("console", (message) => messages.push({ type: message.type(), text: message.text() }));
  page.on("pageerror", (error) => messages.push({ type: "pageerror", text: error instanceof Error ? error.message : String(error) }));
  return {
    goto: async (url) => void (await page.goto(url)),
    reload: async () => void (await page.reload()),
    evaluate: (fn, arg) => page.evaluate(fn, arg as never),
    click: (selector) => page.click(selector),
    keyDown: (key) => page.keyboard.down(KEYS[key]),
    keyUp: (key) => page.keyboard.up(KEYS[key]),
    screenshot: async (path) => void (await page.screenshot({ path })),
    consoleMessages: async () => [...messages],
    close: async () => void (page.isClosed() || (await page.close())),
  };
}
