import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { type PageCommands, SessionPages } from "./CommandPage.js";
import { freePort } from "./freePort.js";
import { OwnedProcess } from "./OwnedProcess.js";
import { asyncScriptFor, type ScriptOutcome } from "./pageScript.js";
import type { BrowserSession, ConsoleEntry, EngineBrowser, Key } from "./TestPage.js";
import { WebDriverSession } from "./WebDriverClient.js";
import { startXvfb, type VirtualDisplay } from "./Xvfb.js";

export const SYSTEM_MINIBROWSER = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";
const WEBDRIVER = "WebKitWebDriver";
const DRIVER_START_MS = 15_000;
/** MiniBrowser starts in about 2 s here; WebKitWebDriver waits much longer for one that never does. */
const SESSION_START_MS = 30_000;
/** Longer than any test: the test's own timeout ends a script first, and the session is killed. */
const SCRIPT_TIMEOUT_MS = 600_000;
const CLOSE_TIMEOUT_MS = 5_000;

export function miniBrowserExecutable(): string | null {
  const path = process.env.SIMVX_MINIBROWSER ?? SYSTEM_MINIBROWSER;
  return existsSync(path) ? path : null;
}

/**
 * WebKitGTK's MiniBrowser through WebKitWebDriver (classic W3C WebDriver; it offers no BiDi) on
 * an Xvfb display. Each session is a driver and a browser of its own, started fresh and killed
 * with their process group when the session closes: one hung script can never outlive its test.
 */
export async function launchWebKit(): Promise<EngineBrowser> {
  const binary = miniBrowserExecutable();
  if (!binary) throw new Error(`no MiniBrowser at ${process.env.SIMVX_MINIBROWSER ?? SYSTEM_MINIBROWSER} (Debian: apt-get install libwebkit2gtk-4.1-0 webkit2gtk-driver xvfb)`);
  const display = await startXvfb();
  try {
    // One session now: a browser that cannot start fails here, with the driver's output.
    const probe = await startSession(binary, display);
    const version = `WebKitGTK ${String(probe.capabilities.browserVersion ?? "?")}`;
    await probe.close();
    return { engine: "webkit", version, newSession: () => startSession(binary, display), close: () => display.stop() };
  } catch (error) {
    await display.stop();
    throw error;
  }
}

async function startSession(binary: string, display: VirtualDisplay): Promise<BrowserSession & { capabilities: Record<string, unknown> }> {
  const port = await freePort();
  const driver = new OwnedProcess(WEBDRIVER, WEBDRIVER, [`--port=${port}`], { ...process.env, DISPLAY: display.display });
  const driverUrl = `http://127.0.0.1:${port}`;
  let webdriver: WebDriverSession;
  try {
    const deadline = Date.now() + DRIVER_START_MS;
    while (!(await WebDriverSession.ready(driverUrl))) {
      if (driver.hasExited) throw new Error(`${WEBDRIVER} exited`);
      if (Date.now() > deadline) throw new Error(`${WEBDRIVER} did not answer within ${DRIVER_START_MS} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    webdriver = await WebDriverSession.create(driverUrl, { "webkitgtk:browserOptions": { binary, args: ["--automation"] } }, SESSION_START_MS);
    await webdriver.setTimeouts({ script: SCRIPT_TIMEOUT_MS });
  } catch (error) {
    await driver.stop();
    throw new Error(`webkit (MiniBrowser via ${WEBDRIVER}) did not start: ${error instanceof Error ? error.message : String(error)}\n${driver.output}`, { cause: error });
  }
  const session = webdriver;
  // WebDriver drives one window at a time: every command goes through this queue, and switches first.
  let queue: Promise<unknown> = Promise.resolve();
  let current = await session.currentWindow();
  const inWindow = <T>(handle: string, command: () => Promise<T>): Promise<T> => {
    const run = queue.then(async () => {
      if (current !== handle) {
        await session.switchToWindow(handle);
        current = handle;
      }
      return command();
    });
    queue = run.catch(() => undefined);
    return run;
  };
  // Later pages are windows, not tabs: a background tab would be hidden, and its timers throttled.
  const pages = new SessionPages(async () => webDriverCommands(await inWindow(current, () => session.newWindow("window")), session, inWindow));
  const first = pages.add(webDriverCommands(current, session, inWindow));
  let closed = false;
  return {
    engine: "webkit",
    consoleSource: "page-recorder",
    capabilities: session.capabilities,
    page: first,
    newPage: () => pages.open(),
    pages: () => pages.all,
    workerStops: null,
    cdp: null,
    onWorkerRequest: null,
    network: null,
    async close() {
      if (closed) return;
      closed = true;
      // A script still running holds the session: the kill below ends it all the same.
      await session.delete(CLOSE_TIMEOUT_MS).catch(() => undefined);
      await driver.stop();
    },
  };
}

/** W3C key values (WebDriver spec, "keyboard actions"). */
const KEYS: Record<Key, string> = { ArrowRight: "\uE014", ArrowLeft: "\uE012", Space: "\uE00D" };
const RECORDED_CONSOLE = "() => window.__simvxConsole?.splice(0) ?? []";

function webDriverCommands(handle: string, session: WebDriverSession, inWindow: <T>(handle: string, command: () => Promise<T>) => Promise<T>): PageCommands {
  const evaluate = async (source: string, arg: unknown): Promise<unknown> => {
    const outcome = await inWindow(handle, () => session.executeAsync<ScriptOutcome>(asyncScriptFor(source), [arg === undefined ? null : arg]));
    if (!outcome.ok) throw new Error(`page function failed in webkit: ${outcome.error}`);
    return outcome.value;
  };
  // The page's recorder lives as long as its document: take its messages before each navigation.
  const messages: ConsoleEntry[] = [];
  const collect = async (): Promise<void> => {
    const recorded = (await evaluate(RECORDED_CONSOLE, null).catch(() => [])) as ConsoleEntry[];
    messages.push(...recorded);
  };
  const key = (type: "keyDown" | "keyUp", name: Key) => inWindow(handle, () => session.performActions([{ type: "key", id: "keyboard", actions: [{ type, value: KEYS[name] }] }]));
  return {
    goto: async (url) => {
      await collect();
      await inWindow(handle, () => session.navigate(url));
    },
    reload: async () => {
      await collect();
      await inWindow(handle, () => session.refresh());
    },
    evaluate: (fn, arg) => evaluate(String(fn), arg),
    click: (selector) => inWindow(handle, async () => session.clickElement(await session.findElement(selector))),
    keyDown: (name) => key("keyDown", name),
    keyUp: (name) => key("keyUp", name),
    screenshot: async (path) => writeFile(path, await inWindow(handle, () => session.screenshot())),
    consoleMessages: async () => {
      await collect();
      return [...messages];
    },
    close: () => inWindow(handle, async () => void (await session.closeWindow())),
  };
}

declare global {
  interface Window {
    /** Filled by the console recorder the test servers put in every page (`e2e/support/consoleRecorder.ts`). */
    __simvxConsole?: ConsoleEntry[];
  }
}
