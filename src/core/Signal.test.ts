import { describe, expect, it, vi } from "vitest";
import { Signal } from "./Signal.js";

describe("Signal", () => {
  it("connect returns the disconnect", () => {
    const signal = new Signal<number>();
    const seen = vi.fn();
    const disconnect = signal.connect(seen);
    signal.emit(1);
    disconnect();
    signal.emit(2);
    expect(seen.mock.calls).toEqual([[1]]);
  });

  it("once listens to one emit only", () => {
    const signal = new Signal<string>();
    const seen = vi.fn();
    signal.once(seen);
    signal.emit("a");
    signal.emit("b");
    expect(seen.mock.calls).toEqual([["a"]]);
  });

  it("disconnect(fn) removes that listener", () => {
    const signal = new Signal<void>();
    const seen = vi.fn();
    signal.connect(seen);
    signal.disconnect(seen);
    signal.emit();
    expect(seen).not.toHaveBeenCalled();
  });

  it("disconnect(fn) removes a listener added with once(fn)", () => {
    const signal = new Signal<number>();
    const seen: number[] = [];
    const listener = (value: number) => seen.push(value);
    signal.once(listener);
    signal.disconnect(listener);
    signal.emit(1);
    expect(seen).toEqual([]);
    expect(signal.listenerCount).toBe(0);
  });

  it("a once listener is called once even when a listener emits again while it runs", () => {
    const signal = new Signal<number>();
    const seen: number[] = [];
    signal.connect((value) => {
      if (value === 1) signal.emit(2);
    });
    signal.once((value) => seen.push(value));
    signal.emit(1);
    expect(seen).toEqual([2]);
  });

  it("a throwing listener does not stop the others and is reported to onError", () => {
    const signal = new Signal<number>();
    const errors: unknown[] = [];
    signal.onError = (error) => errors.push(error);
    const after = vi.fn();
    signal.connect(() => {
      throw new Error("boom");
    });
    signal.connect(after);
    signal.emit(7);
    expect(after).toHaveBeenCalledWith(7);
    expect(errors).toHaveLength(1);
  });

  it("reports to console.error by default", () => {
    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    const signal = new Signal<number>();
    signal.connect(() => {
      throw new Error("boom");
    });
    signal.emit(1);
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
  });

  it("a listener connected during emit waits for the next emit", () => {
    const signal = new Signal<number>();
    const late = vi.fn();
    signal.connect(() => signal.connect(late));
    signal.emit(1);
    expect(late).not.toHaveBeenCalled();
    signal.emit(2);
    expect(late).toHaveBeenCalledWith(2);
  });
});
