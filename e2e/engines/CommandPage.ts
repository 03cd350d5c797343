import { pollUntil } from "./pollUntil.js";

/** How long an element to be clicked may take to appear and stop moving. */
const STABLE_CLICK_MS = 10_000;
import type { ConsoleEntry, Key, PageFunction, TestPage } from "./TestPage.js";

/**
 * What a driver does for one tab: a `TestPage` without the waiting, which `CommandPage` builds
 * the same way for every engine, and with an untyped `evaluate` (the spec declares the type).
 */
export type PageCommands = Omit<TestPage, "evaluate" | "waitForFunction"> & {
  /** Runs `fn(arg)` in the page and resolves with its (awaited) result. */
  evaluate(fn: PageFunction<never, unknown>, arg: unknown): Promise<unknown>;
};

/** The pages of one session: the first opened with it, and any opened later. */
export class SessionPages {
  readonly all: CommandPage[] = [];
  readonly #open: () => Promise<PageCommands>;

  constructor(open: () => Promise<PageCommands>) {
    this.#open = open;
  }

  async open(): Promise<CommandPage> {
    return this.add(await this.#open());
  }

  /** A page the session already has (WebDriver's first window). */
  add(commands: PageCommands): CommandPage {
    const page = new CommandPage(commands);
    this.all.push(page);
    return page;
  }
}

/** A `TestPage` over one driver's commands, so every engine waits and polls the same way. */
export class CommandPage implements TestPage {
  readonly commands: PageCommands;

  constructor(commands: PageCommands) {
    this.commands = commands;
  }

  goto(url: string): Promise<void> {
    return this.commands.goto(url);
  }

  reload(): Promise<void> {
    return this.commands.reload();
  }

  evaluate<Result, Arg>(fn: PageFunction<Arg, Result>, arg?: Arg): Promise<Result> {
    // What comes back is the page's value as the driver serialised it; the spec declares its type.
    return this.commands.evaluate(fn as PageFunction<never, unknown>, arg) as Promise<Result>;
  }

  waitForFunction<Arg>(fn: PageFunction<Arg, unknown>, arg?: Arg, options: { timeoutMs?: number } = {}): Promise<void> {
    return pollUntil(`the page function ${String(fn).slice(0, 200)}`, () => this.evaluate(fn, arg as Arg), options.timeoutMs);
  }

  /** Clicks once the element has stopped moving (Playwright waits so by itself; WebDriver and puppeteer aim where it was). */
  async click(selector: string): Promise<void> {
    let last = "";
    await pollUntil(`${selector} to stand still`, async () => {
      const box = await this.evaluate((sel) => {
        const rect = document.querySelector(sel)?.getBoundingClientRect();
        return rect ? `${rect.x},${rect.y},${rect.width},${rect.height}` : "";
      }, selector);
      const still = box !== "" && box === last;
      last = box;
      return still;
    }, STABLE_CLICK_MS);
    return this.commands.click(selector);
  }

  keyDown(key: Key): Promise<void> {
    return this.commands.keyDown(key);
  }

  keyUp(key: Key): Promise<void> {
    return this.commands.keyUp(key);
  }

  screenshot(path: string): Promise<void> {
    return this.commands.screenshot(path);
  }

  consoleMessages(): Promise<ConsoleEntry[]> {
    return this.commands.consoleMessages();
  }

  close(): Promise<void> {
    return this.commands.close();
  }
}
