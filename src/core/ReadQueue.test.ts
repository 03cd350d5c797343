import { describe, expect, it } from "vitest";
import { type QueuedRead, ReadQueue } from "./ReadQueue.js";

/** A read that records when it starts and stays running until `finish`. */
function read(name: string, started: string[], options: { gated?: boolean; priority?: number } = {}) {
  let finish = (): void => undefined;
  const entry: QueuedRead & { finish(): void } = {
    priority: options.priority ?? 0,
    gated: options.gated ?? true,
    wantsSlot: true,
    start: () => {
      started.push(name);
      return new Promise<void>((resolve) => (finish = resolve));
    },
    finish: () => finish(),
  };
  return entry;
}

describe("ReadQueue", () => {
  it("gated reads run at most maxRunning at once, in priority order then FIFO", async () => {
    const queue = new ReadQueue(2);
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
    const queue = new ReadQueue(1);
    const started: string[] = [];
    queue.enqueue(read("gated-1", started));
    queue.enqueue(read("gated-2", started));
    for (let i = 0; i < 10; i += 1) queue.enqueue(read(`http-${i}`, started, { gated: false }));
    expect(started).toEqual(["gated-1", ...Array.from({ length: 10 }, (_, i) => `http-${i}`)]);
  });

  it("a read that no longer wants its slot when its turn comes is skipped", () => {
    const queue = new ReadQueue(1);
    const started: string[] = [];
    const first = read("first", started);
    const abandoned = { ...read("abandoned", started), wantsSlot: false };
    queue.enqueue(first);
    queue.enqueue(abandoned);
    first.finish();
    expect(started).toEqual(["first"]);
  });
});
