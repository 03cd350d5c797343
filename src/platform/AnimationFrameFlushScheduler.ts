import type { FlushScheduler } from "../core/FlushScheduler.js";

// Hidden pages get no animation frames; a timer keeps completions flowing (browsers clamp it to ≥1 s
// in background tabs, which is fine for loads nobody is watching).
const HIDDEN_PAGE_FLUSH_MS = 50;

/** Flushes on the next animation frame in a visible page, on a timer in a hidden one. */
export class AnimationFrameFlushScheduler implements FlushScheduler {
  private frame: number | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly onVisibilityChange = (): void => {
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

  private readonly run = (): void => {
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
