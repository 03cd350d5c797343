import { setTimeout as sleep } from "node:timers/promises";
import { sampleChromiumCpu } from "./diagnose/chromiumCpu.js";

/** One look at the browser's CPU spans this long. */
const WINDOW_MS = 200;
/** Quiet: all of Chromium's processes together used at most this share of one core in a window. */
const QUIET_SHARE = 0.15;
/** A browser that never quiets down (a page that keeps working) is waited for no longer than this. */
const MAX_WAIT_MS = 3_000;

/**
 * Resolves once Chromium's processes have been quiet for one window, or after `MAX_WAIT_MS`; gives
 * how long it waited (ms). Each step then begins as a later visit would, never while the step
 * before still works in the background: a worker's held cache writes, the HTTP cache's own. Without
 * /proc (not Linux) at once.
 */
export async function untilBrowserQuiet(): Promise<number> {
  const started = performance.now();
  let before = chromiumCpuMs();
  if (before === null) return 0;
  while (performance.now() - started < MAX_WAIT_MS) {
    await sleep(WINDOW_MS);
    const after = chromiumCpuMs();
    if (after === null) break;
    if (after - before <= WINDOW_MS * QUIET_SHARE) return Math.round(performance.now() - started);
    before = after;
  }
  return Math.round(performance.now() - started);
}

function chromiumCpuMs(): number | null {
  try {
    let total = 0;
    for (const ms of sampleChromiumCpu().values()) total += ms;
    return total;
  } catch {
    return null;
  }
}
