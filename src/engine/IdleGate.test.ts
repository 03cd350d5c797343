import { describe, expect, it } from "vitest";
import { IdleGate } from "./IdleGate.js";

/** Which of `waits` have resolved so far, after pending callbacks ran. */
async function opened(waits: Record<string, Promise<void>>): Promise<string[]> {
  const done: string[] = [];
  for (const [name, wait] of Object.entries(waits)) void wait.then(() => done.push(name));
  await new Promise((resolve) => setTimeout(resolve, 0));
  return done.sort();
}

describe("IdleGate", () => {
  it("lets work go at once when no request is in flight", async () => {
    const gate = new IdleGate(100);
    expect(await opened({ a: gate.wait("a", 10) })).toEqual(["a"]);
  });

  it("holds work while requests are in flight and lets it all go when the last one ends", async () => {
    const gate = new IdleGate(100);
    gate.begin();
    gate.begin();
    const waits = { a: gate.wait("a", 10), b: gate.wait("b", 10) };
    expect(await opened(waits)).toEqual([]);
    gate.end();
    expect(await opened(waits)).toEqual([]);
    gate.end();
    expect(await opened(waits)).toEqual(["a", "b"]);
  });

  it("lets the oldest go once more than the byte limit waits", async () => {
    const gate = new IdleGate(25);
    gate.begin();
    const waits = { a: gate.wait("a", 10), b: gate.wait("b", 10), c: gate.wait("c", 10) };
    expect(await opened(waits)).toEqual(["a"]);
  });

  it("tells when no request is in flight", async () => {
    const gate = new IdleGate(100);
    expect(await opened({ now: gate.whenIdle() })).toEqual(["now"]);
    gate.begin();
    const later = { later: gate.whenIdle() };
    gate.openAll();
    expect(await opened(later)).toEqual([]);
    gate.end();
    expect(await opened(later)).toEqual(["later"]);
  });

  it("opens the work of one key, or all of it, on demand", async () => {
    const gate = new IdleGate(100);
    gate.begin();
    const waits = { a: gate.wait("a", 1), b: gate.wait("b", 1), c: gate.wait("c", 1) };
    gate.openKey("b");
    expect(await opened(waits)).toEqual(["b"]);
    gate.openAll();
    expect(await opened(waits)).toEqual(["a", "b", "c"]);
  });

  it("lets held work go in a task after the last request's end, behind what was queued before it", async () => {
    const gate = new IdleGate(100);
    gate.begin();
    const order: string[] = [];
    const work = gate.wait("a", 10).then(() => order.push("work"));
    // The worker's answers: queued for the end of the task the last request ends in.
    setTimeout(() => order.push("answers"), 0);
    gate.end();
    await work;
    expect(order).toEqual(["answers", "work"]);
  });

  it("keeps work held when a request begins before the release task runs", async () => {
    const gate = new IdleGate(100);
    gate.begin();
    const waits = { a: gate.wait("a", 10) };
    gate.end();
    gate.begin();
    expect(await opened(waits)).toEqual([]);
    gate.end();
    expect(await opened(waits)).toEqual(["a"]);
  });
});
