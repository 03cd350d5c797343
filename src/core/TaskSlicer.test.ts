import { describe, expect, it } from "vitest";
import type { Clock } from "./Clock.js";
import { TaskSlicer } from "./TaskSlicer.js";

/** A clock whose time moves only when the test says, and whose timers run when `runTimers` is called. */
function manualClock() {
  let time = 0;
  const timers: Array<() => void> = [];
  const clock: Clock = { now: () => time, setTimeout: (fn) => timers.push(fn), clearTimeout: () => undefined };
  return { clock, advance: (ms: number) => void (time += ms), runTimers: () => timers.splice(0).forEach((fn) => fn()), pendingTimers: () => timers.length };
}

describe("TaskSlicer", () => {
  it("runs work at once while the task's slice lasts, the rest in order in later tasks", () => {
    const { clock, advance, runTimers, pendingTimers } = manualClock();
    const slicer = new TaskSlicer(clock, 6);
    const ran: number[] = [];
    for (let i = 0; i < 10; i += 1) slicer.run(() => (ran.push(i), advance(3)));
    // 0 and 1 fit the first 6 ms; the rest wait.
    expect(ran).toEqual([0, 1]);
    expect(slicer.waiting).toBe(8);
    expect(pendingTimers()).toBe(1);
    runTimers();
    expect(ran).toEqual([0, 1, 2, 3]);
    for (let round = 0; round < 10 && pendingTimers() > 0; round += 1) runTimers();
    expect(ran).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(slicer.waiting).toBe(0);
  });

  it("work that arrives while some waits goes behind it, even in a fresh task", async () => {
    const { clock, advance, runTimers } = manualClock();
    const slicer = new TaskSlicer(clock, 1);
    const ran: string[] = [];
    slicer.run(() => (ran.push("a"), advance(5)));
    slicer.run(() => ran.push("b"));
    await Promise.resolve();
    slicer.run(() => ran.push("c"));
    expect(ran).toEqual(["a"]);
    runTimers();
    runTimers();
    expect(ran).toEqual(["a", "b", "c"]);
  });

  it("a new task opens a new slice, and each slice runs at least one item", async () => {
    const { clock, advance } = manualClock();
    const slicer = new TaskSlicer(clock, 6);
    const ran: number[] = [];
    slicer.run(() => (ran.push(1), advance(100)));
    await Promise.resolve();
    slicer.run(() => ran.push(2));
    expect(ran).toEqual([1, 2]);
  });

  it("claim opens the task's slice, so the caller's own work counts against it", () => {
    const { clock, advance } = manualClock();
    const slicer = new TaskSlicer(clock, 6);
    const ran: number[] = [];
    slicer.claim();
    advance(10);
    slicer.run(() => ran.push(1));
    expect(ran).toEqual([]);
    expect(slicer.waiting).toBe(1);
  });

  it("a later slice runs a small rest too (an eighth of what it ran) rather than leave it a task of its own", () => {
    const { clock, advance, runTimers, pendingTimers } = manualClock();
    const slicer = new TaskSlicer(clock, 6);
    const ran: number[] = [];
    slicer.claim();
    advance(10);
    // Items of 0.5 ms: a slice of 6 ms fits 12. Of 20, 8 are left: too many to go along.
    for (let i = 0; i < 20; i += 1) slicer.run(() => (ran.push(i), advance(0.5)));
    runTimers();
    expect(ran.length).toBe(12);
    expect(pendingTimers()).toBe(1);
    runTimers();
    expect(ran.length).toBe(20);
    // Of 13, the last one goes with the 12.
    slicer.claim();
    advance(10);
    for (let i = 0; i < 13; i += 1) slicer.run(() => (ran.push(i), advance(0.5)));
    runTimers();
    expect(ran.length).toBe(33);
    expect(pendingTimers()).toBe(0);
  });

  it("an item that throws is skipped; the next ones still run", () => {
    const { clock } = manualClock();
    const slicer = new TaskSlicer(clock, 6);
    const ran: number[] = [];
    slicer.run(() => {
      throw new Error("boom");
    });
    slicer.run(() => ran.push(2));
    expect(ran).toEqual([2]);
  });
});
