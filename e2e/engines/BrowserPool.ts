import type { EngineName } from "./EngineName.js";
import { launchEngine } from "./launchEngine.js";
import { earlierLaunchFailure, launchKey, rememberLaunchFailure } from "./launchFailures.js";
import type { EngineBrowser, LaunchOptions } from "./TestPage.js";

/**
 * The browsers of one test worker, launched when a test first needs one of that kind (Firefox
 * with quick worker stops is a second browser) and closed when the worker ends.
 */
export class BrowserPool {
  readonly engine: EngineName;
  readonly #browsers = new Map<string, Promise<EngineBrowser>>();

  constructor(engine: EngineName) {
    this.engine = engine;
  }

  get(options: LaunchOptions = {}): Promise<EngineBrowser> {
    const key = launchKey(this.engine, options);
    let browser = this.#browsers.get(key);
    if (!browser) {
      // A failed launch is kept, here and for the run's later workers: every later test fails at
      // once with the same error, and a browser that hangs as it starts costs the run one launch
      // timeout, not one per test.
      const earlier = earlierLaunchFailure(this.engine, options);
      browser = earlier ? Promise.reject(earlier) : launchEngine(this.engine, options);
      browser.catch((error: unknown) => rememberLaunchFailure(this.engine, options, error));
      this.#browsers.set(key, browser);
    }
    return browser;
  }

  /** Closes the browser a session of which could not be closed, so nothing of it lingers. */
  async discard(browser: EngineBrowser): Promise<void> {
    for (const [key, entry] of this.#browsers) if ((await entry.catch(() => null)) === browser) this.#browsers.delete(key);
    await browser.close().catch(() => undefined);
  }

  async close(): Promise<void> {
    const browsers = [...this.#browsers.values()];
    this.#browsers.clear();
    await Promise.all(browsers.map((browser) => browser.then((b) => b.close()).catch(() => undefined)));
  }
}
