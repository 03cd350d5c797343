import { describe, expect, it } from "vitest";
import type { Clock } from "./Clock.js";
import { type QueuedRead, ReadQueue, START_SLICE_MS } from "./ReadQueue.js";

/** A clock whose time moves only when the test says, and whose timers run when `runTimers` is called. */
function manualClock() {
  let time = 0;
  const timers: Array<() => void> = [];
  const clock: Clock = {
    now: () => time,
    setTimeout: (fn) => timers.push(fn),
    clearTimeout: () => undefined,
  };
  return {
    clock,
    advance: (ms: number) => void (time += ms),
    runTimers: () => timers.splice(0).forEach((fn) => fn()),
    pendingTimers: () => timers.length,
  };
}

/** A read that records when it starts and stays running until `finish`. */
function read(name: string, started: string[], options: { gated?: boolean; priority?: number; onStart?: () => void } = {}) {
  let finish = (): void => undefined;
  const entry: QueuedRead & { finish(): void } = {
    priority: options.priority ?? 0,
    gated: options.gated ?? true,
    wantsSlot: true,
    start: () => {
      started.push(name);
      options.onStart?.();
      return new Promise<void>((resolve) => (finish = resolve));
    },
    finish: () => finish(),
  };
  return entry;
}

describe("ReadQueue", () => {
  it("gated reads run at most maxRunning at once, in priority order then FIFO", async () => {
    const { clock } = manualClock();
    const queue = new ReadQueue(2, clock);
    const started: string[] = [];
    const reads = [read("a", started), read("b", started), read("c", started, { priority: 1 }), read("d", started)];
    for (const entry of reads) queue.enqueue(entry);
    expect(started).toEqual(["a", "b"]);
    reads[0]!.finish();
    await Promise.resolve();
    await Promise.resolve();
    expect(started).toEqual(["a", "b", "c"]);
  });

  it("reads that are not gated start at once, however many gated ones hold the slots", () => {
    const { clock } = manualClock();
    const queue = new ReadQueue(1, clock);
    const started: string[] = [];
    queue.enqueue(read("gated-1", started));
    queue.enqueue(read("gated-2", started));
    for (let i = 0; i < 10; i += 1) queue.enqueue(read(`http-${i}`, started, { gated: false }));
    expect(started).toEqual(["gated-1", ...Array.from({ length: 10 }, (_, i) => `http-${i}`)]);
  });

  it("stops starting reads after START_SLICE_MS and goes on, in order, in a later task", () => {
    const { clock, advance, runTimers, pendingTimers } = manualClock();
    const queue = new ReadQueue(100, clock);
    const started: string[] = [];
    const reads = Array.from({ length: 10 }, (_, i) => read(`r${i}`, started, { gated: false, onStart: () => advance(START_SLICE_MS / 2) }));
    // Enqueued one by one in one task, as loadGroup does: the slice spans them, runs out after two
    // starts, and the rest wait for the timer.
    for (const entry of reads) queue.enqueue(entry);
    expect(started).toEqual(["r0", "r1"]);
    expect(pendingTimers()).toBe(1);
    runTimers();
    expect(started).toEqual(["r0", "r1", "r2", "r3"]);
    for (let round = 0; round < 10 && pendingTimers() > 0; round += 1) runTimers();
    expect(started).toEqual(reads.map((_, i) => `r${i}`));
  });

  it("a read that no longer wants its slot when its turn comes is skipped", () => {
    const { clock } = manualClock();
    const queue = new ReadQueue(1, clock);
    const started: string[] = [];
    const first = read("first", started);
    const abandoned = { ...read("abandoned", started), wantsSlot: false };
    queue.enqueue(first);
    queue.enqueue(abandoned);
    first.finish();
    expect(started).toEqual(["first"]);
  });
});
