import type { CDPSession } from "playwright-core";
import type { EngineName } from "./EngineName.js";

/**
 * A function run in the page. Its source is sent, not the closure: it may use only its argument
 * and the page's globals. Argument and result cross as JSON-like data (WebDriver turns
 * `undefined` into `null`).
 */
export type PageFunction<Arg, Result> = (arg: Arg) => Result | Promise<Result>;

export interface ConsoleEntry {
  /** `log`, `warning`, `error`, ..., or `pageerror` for an uncaught error or rejection. */
  type: string;
  text: string;
}

/** The keys the specs press; each driver maps them to its own names. */
export type Key = "ArrowRight" | "ArrowLeft" | "Space";

/** One tab, the same for every engine. */
export interface TestPage {
  goto(url: string): Promise<void>;
  /** A normal reload: a service worker keeps control. */
  reload(): Promise<void>;
  evaluate<Result>(fn: PageFunction<void, Result>): Promise<Result>;
  evaluate<Result, Arg>(fn: PageFunction<Arg, Result>, arg: Arg): Promise<Result>;
  /** Resolves once `fn` returns a truthy value, polled from Node; rejects after `timeoutMs`. */
  waitForFunction(fn: PageFunction<void, unknown>): Promise<void>;
  waitForFunction<Arg>(fn: PageFunction<Arg, unknown>, arg: Arg, options?: { timeoutMs?: number }): Promise<void>;
  /** A real click (input events) at the centre of the first element matching `selector`. */
  click(selector: string): Promise<void>;
  keyDown(key: Key): Promise<void>;
  keyUp(key: Key): Promise<void>;
  screenshot(path: string): Promise<void>;
  /** Console messages and uncaught errors of this page so far (see `consoleSource`). */
  consoleMessages(): Promise<ConsoleEntry[]>;
  close(): Promise<void>;
}

/**
 * How console messages are collected: from the browser (every message, the browser's own included),
 * or from a recorder the test servers put in each page (`e2e/support/consoleRecorder.ts`:
 * the page's `console` calls and uncaught errors only).
 */
export type ConsoleSource = "browser" | "page-recorder";

/**
 * How a spec can stop a running service worker: Chromium stops every worker on demand (DevTools
 * protocol); Firefox stops a busy one by itself once its extended idle timeout has passed since
 * the worker's last event, in a browser launched with `quickWorkerStops`.
 */
export type WorkerStops = { kind: "on-demand"; stopAll(): Promise<void> } | { kind: "idle-timeout"; idleMs: number; busyLimitMs: number };

/** A fresh browsing profile: no service worker, empty storage. Closing it closes its pages. */
export interface BrowserSession {
  readonly engine: EngineName;
  readonly consoleSource: ConsoleSource;
  /** The first page, opened with the session. */
  readonly page: TestPage;
  newPage(): Promise<TestPage>;
  /** Every page open in the session (for screenshots of a failed test). */
  pages(): readonly TestPage[];
  /** How its service workers can be stopped, or null where no driver can. */
  readonly workerStops: WorkerStops | null;
  /** Chromium's DevTools protocol on a page of this session, or null in other engines. */
  readonly cdp: ((page: TestPage) => Promise<CDPSession>) | null;
  /** Calls `listener` with the URL of every request a service worker of this session makes (the browser's log), or null where the driver cannot see them. */
  readonly onWorkerRequest: ((listener: (url: string) => void) => void) | null;
  /** The engine's own offline emulation (service workers included), or null where it has none. */
  readonly network: { setOffline(offline: boolean): Promise<void> } | null;
  close(): Promise<void>;
}

/** What an engine's browser can be asked for when it is launched. */
export interface LaunchOptions {
  /** A browser whose service workers stop as soon as the engine allows (Firefox's idle timeouts). */
  quickWorkerStops?: boolean;
  /**
   * Chromium with third-party storage partitioned by top-level site, as it ships: Playwright's
   * launch turns `ThirdPartyStoragePartitioning` off. The other engines partition anyway.
   */
  storagePartitioning?: boolean;
}

/** A launched browser (or, for WebKit, what it takes to start one per session). */
export interface EngineBrowser {
  readonly engine: EngineName;
  /** e.g. "Chromium 156.0.8078.114". */
  readonly version: string;
  newSession(): Promise<BrowserSession>;
  close(): Promise<void>;
}
