import type { Clock } from "./Clock.js";

/** One deadline; `key` is cleared when it is cancelled, so a finished load is not kept alive by it. */
export interface Deadline<K> {
  key: K | null;
  readonly at: number;
}

interface Lane<K> {
  items: Deadline<K>[];
  head: number;
}

/**
 * Many deadlines on one timer. Loads are tracked by the thousand (in the benchmark's profile, a
 * `loadGroup` of 1,000 spent a quarter of its time setting 1,000 timers) and nearly all share one
 * timeout, so their deadlines come in order per timeout length: a FIFO lane per length, and one
 * timer for the earliest head. No timer stays armed once no deadline is live.
 */
export class Deadlines<K> {
  private readonly lanes = new Map<number, Lane<K>>();
  private live = 0;
  private timer: unknown = null;
  private armedAt = Number.POSITIVE_INFINITY;

  constructor(
    private readonly clock: Clock,
    private readonly onExpired: (key: K) => void,
  ) {}

  /** Calls `onExpired(key)` after `afterMs`, unless the returned deadline is cancelled first. */
  add(key: K, afterMs: number): Deadline<K> {
    const deadline: Deadline<K> = { key, at: this.clock.now() + afterMs };
    let lane = this.lanes.get(afterMs);
    if (!lane) this.lanes.set(afterMs, (lane = { items: [], head: 0 }));
    lane.items.push(deadline);
    this.live += 1;
    if (deadline.at < this.armedAt) this.arm(deadline.at);
    return deadline;
  }

  cancel(deadline: Deadline<K>): void {
    if (deadline.key === null) return;
    deadline.key = null;
    this.live -= 1;
    if (this.live === 0) this.reset();
  }

  private arm(at: number): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.armedAt = at;
    this.timer = this.clock.setTimeout(() => this.fire(), Math.max(0, at - this.clock.now()));
  }

  private fire(): void {
    this.timer = null;
    this.armedAt = Number.POSITIVE_INFINITY;
    const now = this.clock.now();
    const expired: K[] = [];
    for (const lane of this.lanes.values()) {
      while (lane.head < lane.items.length && lane.items[lane.head]!.at <= now) {
        const deadline = lane.items[lane.head++]!;
        if (deadline.key === null) continue;
        expired.push(deadline.key);
        deadline.key = null;
        this.live -= 1;
      }
    }
    if (this.live === 0) this.reset();
    else this.armEarliest();
    for (const key of expired) this.onExpired(key);
  }

  private armEarliest(): void {
    let earliest = Number.POSITIVE_INFINITY;
    for (const [length, lane] of this.lanes) {
      while (lane.head < lane.items.length && lane.items[lane.head]!.key === null) lane.head++;
      if (lane.head === lane.items.length) {
        this.lanes.delete(length);
        continue;
      }
      // Drop the consumed front now and then, so a long-lived lane does not grow without end.
      if (lane.head > 1024 && lane.head * 2 > lane.items.length) {
        lane.items = lane.items.slice(lane.head);
        lane.head = 0;
      }
      earliest = Math.min(earliest, lane.items[lane.head]!.at);
    }
    if (earliest < Number.POSITIVE_INFINITY) this.arm(earliest);
  }

  private reset(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    this.armedAt = Number.POSITIVE_INFINITY;
    this.lanes.clear();
  }
}
