import type { ProgressReport, RetryNotice } from "../src/kernel/protocol.js";

/**
 * A declared body under this size is over before a report could help a loading bar: the answer
 * says all a report would, so none is sent (most game assets; a report costs a message).
 */
export const PROGRESS_MIN_BYTES = 256 * 1024;
/** No report in a call's first period, then at most one per period. */
export const PROGRESS_QUIET_MS = 100;

/**
 * Paces one call's progress reports to the page. The latest report held back goes when its period
 * ends (a stalled transfer still shows how far it got) unless the call was answered first.
 * Retry notices always go at once: the page re-arms its own watch on them.
 */
export class ProgressPacer {
  #last: ProgressReport = { loaded: 0, total: null };
  #held = false;
  #stopped = false;
  #nextPostAt: number;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly post: (report: ProgressReport) => void,
    private readonly now: () => number = Date.now,
  ) {
    this.#nextPostAt = now() + PROGRESS_QUIET_MS;
  }

  readonly report = (loaded: number, total: number | null): void => {
    if (this.#stopped || (total !== null && total < PROGRESS_MIN_BYTES)) return;
    this.#last = { loaded, total };
    this.#held = true;
    const wait = this.#nextPostAt - this.now();
    if (wait <= 0) this.#send();
    else this.#timer ??= setTimeout(() => this.#send(), wait);
  };

  readonly retry = (notice: RetryNotice): void => {
    if (!this.#stopped) this.post({ ...this.#last, retry: notice });
  };

  /** The call was answered: nothing more goes. */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  #send(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#stopped || !this.#held) return;
    this.#held = false;
    this.#nextPostAt = this.now() + PROGRESS_QUIET_MS;
    this.post(this.#last);
  }
}
