import { launchChromium } from "./chromiumEngine.js";
import type { EngineName } from "./EngineName.js";
import { launchFirefox } from "./firefoxEngine.js";
import type { EngineBrowser, LaunchOptions } from "./TestPage.js";
import { launchWebKit } from "./webkitEngine.js";

/** Started engines never need longer than this (inside a test's 60 s, so the test fails with the reason, not a timeout). */
const LAUNCH_LIMIT_MS = 50_000;

/**
 * Launches `engine`'s browser. A browser that does not start fails with the engine's name and
 * what the browser wrote (drivers include its stderr), within `LAUNCH_LIMIT_MS`.
 */
export async function launchEngine(engine: EngineName, options: LaunchOptions = {}): Promise<EngineBrowser> {
  const launching = engine === "chromium" ? launchChromium(options) : engine === "firefox" ? launchFirefox(options) : launchWebKit();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`did not start within ${LAUNCH_LIMIT_MS} ms`)), LAUNCH_LIMIT_MS);
  });
  try {
    return await Promise.race([launching, limit]);
  } catch (error) {
    // A launch that finishes after the limit must not leave its browser running.
    void launching.then((late) => late.close()).catch(() => undefined);
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`${engine} failed to start: ${reason}`, { cause: error });
  } finally {
    clearTimeout(timer);
  }
}
