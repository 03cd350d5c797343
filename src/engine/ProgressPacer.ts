export type ProgressCallback = (loaded: number, total: number | null) => void;

/** How often one caller hears of a body's progress. */
export interface ProgressPacing {
  /**
   * A body declared smaller than this gets no reports: its answer says all a report would. The
   * worker uses 256 KiB (a report costs a message, and most game assets are over before a report
   * could help a loading bar); the page's own engine 0.
   */
  minBytes?: number;
  /** No report in a call's first period, then at most one per period. Default 50 ms. */
  periodMs?: number;
}

const DEFAULT_PERIOD_MS = 50;

/**
 * The one place progress is paced, for the worker's callers and the page's alike. The latest
 * report held back goes when its period ends (a stalled transfer still shows how far it got)
 * unless the call ended first. It does not keep progress from going back (a retry restarts from
 * zero): the core's flush queue does, for every source.
 */
export class ProgressPacer {
  readonly #post: ProgressCallback;
  readonly #minBytes: number;
  readonly #periodMs: number;
  readonly #now: () => number;
  #last: { loaded: number; total: number | null } | null = null;
  #held = false;
  #stopped = false;
  #nextPostAt: number;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(post: ProgressCallback, pacing: ProgressPacing = {}, now: () => number = Date.now) {
    this.#post = post;
    this.#minBytes = pacing.minBytes ?? 0;
    this.#periodMs = pacing.periodMs ?? DEFAULT_PERIOD_MS;
    this.#now = now;
    this.#nextPostAt = now() + this.#periodMs;
  }

  readonly report = (loaded: number, total: number | null): void => {
    if (this.#stopped || this.#tooSmall(total)) return;
    this.#last = { loaded, total };
    this.#held = true;
    const wait = this.#nextPostAt - this.#now();
    if (wait <= 0) this.#send();
    else this.#timer ??= setTimeout(() => this.#send(), wait);
  };

  /** The body is complete: its final report goes at once (a bar that moved reaches its end), then nothing more. */
  finish(loaded: number, total: number | null): void {
    if (this.#stopped) return;
    if (!this.#tooSmall(total) && (this.#last?.loaded !== loaded || this.#last.total !== total || this.#held)) {
      this.#last = { loaded, total };
      this.#held = true;
      this.#send();
    }
    this.stop();
  }

  /** The call ended: nothing more goes. */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  #tooSmall(total: number | null): boolean {
    return total !== null && total < this.#minBytes;
  }

  #send(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#stopped || !this.#held || this.#last === null) return;
    this.#held = false;
    this.#nextPostAt = this.#now() + this.#periodMs;
    try {
      this.#post(this.#last.loaded, this.#last.total);
    } catch {
      // A broken progress callback must not fail the load it watches.
    }
  }
}
