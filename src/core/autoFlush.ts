import type { Environment } from "../platform/environment.js";

/** Schedules `flush()` when work is waiting: `request()` is cheap to call often. */
export interface FlushScheduler {
  request(): void;
  dispose(): void;
}

// Hidden pages get no animation frames; a timer keeps completions flowing (browsers clamp it to ≥1 s
// in background tabs, which is fine for loads nobody is watching).
const HIDDEN_PAGE_FLUSH_MS = 50;

export function createAutoFlush(flush: () => void, environment: Environment): FlushScheduler {
  return environment === "browser" && typeof requestAnimationFrame === "function" ? new BrowserAutoFlush(flush) : new EventLoopAutoFlush(flush);
}

/** Flushes on the next animation frame in a visible page, on a timer in a hidden one. */
class BrowserAutoFlush implements FlushScheduler {
  private frame: number | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly onVisibilityChange = () => {
    if (this.frame === null && this.timer === null) return;
    this.cancel();
    this.request();
  };

  constructor(private readonly flush: () => void) {
    document.addEventListener("visibilitychange", this.onVisibilityChange);
  }

  request(): void {
    if (this.frame !== null || this.timer !== null) return;
    if (document.visibilityState === "hidden") this.timer = setTimeout(this.run, HIDDEN_PAGE_FLUSH_MS);
    else this.frame = requestAnimationFrame(this.run);
  }

  private readonly run = () => {
    this.cancel();
    this.flush();
  };

  private cancel(): void {
    if (this.frame !== null) cancelAnimationFrame(this.frame);
    if (this.timer !== null) clearTimeout(this.timer);
    this.frame = null;
    this.timer = null;
  }

  dispose(): void {
    this.cancel();
    document.removeEventListener("visibilitychange", this.onVisibilityChange);
  }
}

/** Node: flush once the current I/O callbacks have run, so many completions land in one flush. */
class EventLoopAutoFlush implements FlushScheduler {
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly flush: () => void) {}

  request(): void {
    if (this.timer !== null) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush();
    }, 0);
  }

  dispose(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
