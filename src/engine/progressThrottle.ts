export type ProgressCallback = (loaded: number, total: number | null) => void;

/** At most one report per this interval, unless the load moved by at least 1%. */
const REPORT_INTERVAL_MS = 50;

export interface ThrottledProgress {
  (loaded: number, total: number | null): void;
  /** Reports `loaded` now unless it was the last report: the final report is never dropped. */
  finish(loaded: number, total: number | null): void;
}

/**
 * Wraps `report` so it is called at most once per ~50 ms or per 1% of the total, and only with
 * growing `loaded` (a retry restarting from zero stays quiet until it passes the earlier mark).
 */
export function throttleProgress(report: ProgressCallback, now: () => number = Date.now): ThrottledProgress {
  let lastLoaded = -1;
  let lastTotal: number | null = null;
  let lastAt = Number.NEGATIVE_INFINITY;
  const send = (loaded: number, total: number | null): void => {
    lastLoaded = loaded;
    lastTotal = total;
    lastAt = now();
    try {
      report(loaded, total);
    } catch {
      // A broken progress callback must not fail the load it watches.
    }
  };
  const throttled = (loaded: number, total: number | null): void => {
    if (loaded < lastLoaded || (loaded === lastLoaded && total === lastTotal)) return;
    const onePercent = total !== null && total > 0 && loaded - Math.max(0, lastLoaded) >= total / 100;
    if (lastLoaded < 0 || onePercent || loaded === total || now() - lastAt >= REPORT_INTERVAL_MS) send(loaded, total);
  };
  throttled.finish = (loaded: number, total: number | null): void => {
    if (loaded < lastLoaded || (loaded === lastLoaded && total === lastTotal)) return;
    send(loaded, total);
  };
  return throttled;
}
