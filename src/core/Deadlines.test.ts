import { describe, expect, it } from "vitest";
import { Deadlines } from "./Deadlines.js";
import { ManualClock } from "../../test/support/core/ManualClock.js";

function setUp() {
  const clock = new ManualClock();
  const expired: string[] = [];
  const deadlines = new Deadlines<string>(clock, (key) => expired.push(key));
  return { clock, expired, deadlines };
}

describe("Deadlines", () => {
  it("expires each key at its own time, across timeout lengths, with one timer", () => {
    const { clock, expired, deadlines } = setUp();
    deadlines.add("a", 100);
    clock.advance(10);
    deadlines.add("b", 100);
    deadlines.add("short", 50);
    expect(clock.pendingTimers).toBe(1);
    clock.advance(49);
    expect(expired).toEqual([]);
    clock.advance(1);
    expect(expired).toEqual(["short"]);
    clock.advance(40);
    expect(expired).toEqual(["short", "a"]);
    clock.advance(9);
    expect(expired).toEqual(["short", "a"]);
    clock.advance(1);
    expect(expired).toEqual(["short", "a", "b"]);
    expect(clock.pendingTimers).toBe(0);
  });

  it("never expires a cancelled deadline, and leaves no timer once none is live", () => {
    const { clock, expired, deadlines } = setUp();
    const a = deadlines.add("a", 100);
    const b = deadlines.add("b", 200);
    deadlines.cancel(a);
    clock.advance(150);
    expect(expired).toEqual([]);
    deadlines.cancel(b);
    expect(clock.pendingTimers).toBe(0);
    clock.advance(100);
    expect(expired).toEqual([]);
  });

  it("a key added after others expired is still timed from its own start", () => {
    const { clock, expired, deadlines } = setUp();
    deadlines.add("a", 100);
    clock.advance(100);
    deadlines.add("b", 100);
    clock.advance(99);
    expect(expired).toEqual(["a"]);
    clock.advance(1);
    expect(expired).toEqual(["a", "b"]);
  });
});
