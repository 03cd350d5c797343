/** Schedules `flush()` when work is waiting: `request()` is cheap to call often. */
export interface FlushScheduler {
  request(): void;
  dispose(): void;
}

/** Flushes once the current I/O callbacks have run, so many completions land in one flush (Node, tests). */
export class EventLoopFlushScheduler implements FlushScheduler {
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
