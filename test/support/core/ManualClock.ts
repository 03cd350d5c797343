import type { Clock } from "../../../src/core/Clock.js";

interface Timer {
  id: number;
  at: number;
  fn: () => void;
}

/**
 * A clock the test moves by hand: the server's watchdogs fire only inside `advance`, so a property
 * test can wait "past every timeout" without waiting at all.
 */
export class ManualClock implements Clock {
  private time = 0;
  private nextId = 1;
  private readonly timers = new Map<number, Timer>();

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { id, at: this.time + Math.max(0, Number.isFinite(ms) ? ms : 0), fn });
    return id;
  }

  clearTimeout(id: unknown): void {
    this.timers.delete(id as number);
  }

  /** Timers not yet fired or cleared. */
  get pendingTimers(): number {
    return this.timers.size;
  }

  /** Moves time forward by `ms`, firing due timers in time order (timers they set fire too if due). */
  advance(ms: number): void {
    const until = this.time + ms;
    for (;;) {
      let next: Timer | undefined;
      for (const timer of this.timers.values()) if (timer.at <= until && (next === undefined || timer.at < next.at || (timer.at === next.at && timer.id < next.id))) next = timer;
      if (next === undefined) break;
      this.timers.delete(next.id);
      this.time = Math.max(this.time, next.at);
      next.fn();
    }
    this.time = until;
  }
}
