import { chromium, type Browser, type CDPSession, type Page } from "playwright-core";
import { chromiumLaunchOptions } from "../support/chromium.js";
import { CommandPage, type PageCommands, SessionPages } from "./CommandPage.js";
import type { BrowserSession, ConsoleEntry, EngineBrowser, LaunchOptions, TestPage } from "./TestPage.js";

/** Chromium through Playwright: the DevTools protocol is there for the specs that need it. */
export async function launchChromium(options: LaunchOptions = {}): Promise<EngineBrowser> {
  const browser = await chromium.launch(chromiumLaunchOptions([], { storagePartitioning: options.storagePartitioning === true }));
  return {
    engine: "chromium",
    version: `Chromium ${browser.version()}`,
    newSession: () => newSession(browser),
    close: () => browser.close(),
  };
}

async function newSession(browser: Browser): Promise<BrowserSession> {
  const context = await browser.newContext();
  const playwrightPages = new Map<PageCommands, Page>();
  const pages = new SessionPages(async () => {
    const native = await context.newPage();
    const commands = playwrightCommands(native);
    playwrightPages.set(commands, native);
    return commands;
  });
  const first = await pages.open();
  const cdpSessions = new Map<TestPage, CDPSession>();
  const cdp = async (page: TestPage): Promise<CDPSession> => {
    const native = page instanceof CommandPage ? playwrightPages.get(page.commands) : undefined;
    if (!native) throw new Error("not a page of this session");
    let session = cdpSessions.get(page);
    if (!session) {
      session = await context.newCDPSession(native);
      await session.send("ServiceWorker.enable");
      cdpSessions.set(page, session);
    }
    return session;
  };
  return {
    engine: "chromium",
    consoleSource: "browser",
    page: first,
    newPage: () => pages.open(),
    pages: () => pages.all,
    workerStops: { kind: "on-demand", stopAll: async () => void (await (await cdp(first)).send("ServiceWorker.stopAllWorkers")) },
    cdp,
    onWorkerRequest: (listener) => context.on("request", (request) => void (request.serviceWorker() && listener(request.url()))),
    network: { setOffline: (offline) => context.setOffline(offline) },
    close: () => context.close(),
  };
}

function playwrightCommands(page: Page): PageCommands {
  const messages: ConsoleEntry[] = [];
  page.on("console", (message) => messages.push({ type: message.type(), text: message.text() }));
  page.on("pageerror", (error) => messages.push({ type: "pageerror", text: error.message }));
  return {
    goto: async (url) => void (await page.goto(url)),
    reload: async () => void (await page.reload()),
    evaluate: (fn, arg) => page.evaluate(fn, arg as never),
    click: (selector) => page.click(selector),
    // Playwright and our `Key` names agree.
    keyDown: (key) => page.keyboard.down(key),
    keyUp: (key) => page.keyboard.up(key),
    screenshot: async (path) => void (await page.screenshot({ path })),
    consoleMessages: async () => [...messages],
    close: () => page.close(),
  };
}
