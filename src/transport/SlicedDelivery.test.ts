import { describe, expect, it } from "vitest";
import { SlicedDelivery } from "./SlicedDelivery.js";

const nextTask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

describe("SlicedDelivery", () => {
  it("delivers the first portion at once and the rest a portion per task, in order", async () => {
    const delivery = new SlicedDelivery(3);
    const delivered: number[] = [];
    // Which task each delivery ran in: the counter moves at each task's microtask checkpoint.
    const taskOf: number[] = [];
    let task = 0;
    let armed = false;
    const settle = (i: number) => () => {
      delivered.push(i);
      taskOf.push(task);
      if (armed) return;
      armed = true;
      queueMicrotask(() => ((task += 1), (armed = false)));
    };
    // A burst, as one message from the worker brings it.
    for (let i = 0; i < 8; i += 1) delivery.deliver(settle(i));
    expect(delivered).toEqual([0, 1, 2]);
    for (let round = 0; round < 10 && delivered.length < 8; round += 1) await nextTask();
    expect(delivered).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const perTask = [...new Set(taskOf)].map((id) => taskOf.filter((t) => t === id).length);
    expect(perTask).toEqual([3, 3, 2]);
  });

  it("one delivery that throws does not stop the others", async () => {
    const delivery = new SlicedDelivery(2);
    const delivered: number[] = [];
    delivery.deliver(() => {
      throw new Error("boom");
    });
    delivery.deliver(() => delivered.push(1));
    delivery.deliver(() => delivered.push(2));
    await nextTask();
    await nextTask();
    expect(delivered).toEqual([1, 2]);
  });
});
