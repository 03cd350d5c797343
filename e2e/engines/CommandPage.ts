import { pollUntil } from "./pollUntil.js";
import type { ConsoleEntry, Key, PageFunction, TestPage } from "./TestPage.js";

/** What a driver does for one tab; everything else a `TestPage` offers is built on it. */
export interface PageCommands {
  goto(url: string): Promise<void>;
  reload(): Promise<void>;
  /** Runs `fn(arg)` in the page and resolves with its (awaited) result. */
  evaluate(fn: PageFunction<never, unknown>, arg: unknown): Promise<unknown>;
  click(selector: string): Promise<void>;
  keyDown(key: Key): Promise<void>;
  keyUp(key: Key): Promise<void>;
  screenshot(path: string): Promise<void>;
  /** Console messages so far, from the browser or from the page's recorder. */
  consoleMessages(): Promise<ConsoleEntry[]>;
  close(): Promise<void>;
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

  click(selector: string): Promise<void> {
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
