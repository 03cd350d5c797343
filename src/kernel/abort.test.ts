import { describe, expect, it } from "vitest";
import { AssetError } from "./AssetError.js";
import { throwIfCancelled, untilCancelled } from "./abort.js";

describe("cancellation helpers", () => {
  it("throwIfCancelled fails with CANCELLED only once aborted", () => {
    const controller = new AbortController();
    expect(() => throwIfCancelled(controller.signal, "mem://a")).not.toThrow();
    controller.abort();
    expect(() => throwIfCancelled(controller.signal, "mem://a")).toThrow(expect.objectContaining({ code: "CANCELLED", uri: "mem://a" }));
  });

  it("untilCancelled passes results and failures through", async () => {
    const signal = new AbortController().signal;
    expect(await untilCancelled(Promise.resolve(5), signal, "mem://a")).toBe(5);
    await expect(untilCancelled(Promise.reject(new Error("boom")), signal, "mem://a")).rejects.toThrow("boom");
  });

  it("untilCancelled stops waiting when the signal aborts, while the work carries on", async () => {
    const controller = new AbortController();
    let finish!: (value: number) => void;
    const work = new Promise<number>((resolve) => (finish = resolve));
    const waiting = untilCancelled(work, controller.signal, "pkg://g/a");
    controller.abort();
    const error = await waiting.then(() => null, (thrown: unknown) => thrown);
    expect(AssetError.is(error) && error.code).toBe("CANCELLED");
    finish(1);
    expect(await work).toBe(1);
  });
});
