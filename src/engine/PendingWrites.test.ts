import { describe, expect, it } from "vitest";
import { IdleGate } from "./IdleGate.js";
import { PendingWrites } from "./PendingWrites.js";
import type { StreamedEntryWriter } from "./StreamedEntryWriter.js";

function gate(): { promise: Promise<void>; open(): void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe("PendingWrites", () => {
  it("runs the writes of one URL in order, a failed one not stopping the next, and settles once none is under way", async () => {
    const pending = new PendingWrites(new IdleGate(100));
    const order: string[] = [];
    const first = gate();
    void pending.behind("u", async () => {
      await first.promise;
      order.push("first");
      throw new Error("store failed");
    });
    const second = pending.behind("u", async () => void order.push("second"));
    let settled = false;
    void pending.settle().then(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(settled).toBe(false);
    first.open();
    await second;
    await pending.settle();
    expect(order).toEqual(["first", "second"]);
    expect(settled).toBe(true);
  });

  it("a read of a URL waits for its write, held back or not, and for its stream; settle() does not wait for streams", async () => {
    const idle = new IdleGate(100);
    const pending = new PendingWrites(idle);
    idle.begin();
    let written = false;
    // Held back while a request is in flight, as in the worker: a read that comes before the
    // write has even started lets it go.
    void pending.behind("u", async () => void (written = true), 1);
    await pending.settledFor("u");
    expect(written).toBe(true);
    const stream = gate();
    let abandoned = false;
    pending.streaming("s", stream.promise, { abandon: () => (abandoned = true) } as unknown as StreamedEntryWriter);
    await pending.settle();
    let read = false;
    const reading = pending.settledFor("s").then(() => (read = true));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(read).toBe(false);
    pending.abandon("s");
    expect(abandoned).toBe(true);
    stream.open();
    await reading;
    expect(read).toBe(true);
  });
});
