import { describe, expect, it } from "vitest";
import { LruCache } from "./LruCache.js";

describe("LruCache", () => {
  it("keeps the total size within its byte budget", () => {
    const cache = new LruCache<string, string>(100);
    cache.set("a", "A", 40);
    cache.set("b", "B", 40);
    cache.set("c", "C", 40);
    expect(cache.bytes).toBe(80);
    expect(cache.size).toBe(2);
    expect(cache.budgetBytes).toBe(100);
  });

  it("evicts the least recently used entry first", () => {
    const cache = new LruCache<string, string>(100);
    cache.set("a", "A", 40);
    cache.set("b", "B", 40);
    cache.set("c", "C", 40);
    expect(cache.get("a")).toBeUndefined();
    expect(cache.get("b")).toBe("B");
    expect(cache.get("c")).toBe("C");
  });

  it("evicts as many entries as a big newcomer needs", () => {
    const cache = new LruCache<string, number>(100);
    for (let i = 0; i < 10; i++) cache.set(`k${i}`, i, 10);
    cache.set("big", 99, 75);
    expect(cache.keys()).toEqual(["k8", "k9", "big"]);
    expect(cache.bytes).toBe(95);
  });

  it("get makes an entry the most recent, so it survives the next eviction", () => {
    const cache = new LruCache<string, string>(100);
    cache.set("a", "A", 40);
    cache.set("b", "B", 40);
    expect(cache.get("a")).toBe("A");
    cache.set("c", "C", 40);
    expect(cache.peek("a")).toBe("A");
    expect(cache.peek("b")).toBeUndefined();
  });

  it("peek does not change recency", () => {
    const cache = new LruCache<string, string>(100);
    cache.set("a", "A", 40);
    cache.set("b", "B", 40);
    expect(cache.peek("a")).toBe("A");
    cache.set("c", "C", 40);
    expect(cache.has("a")).toBe(false);
    expect(cache.has("b")).toBe(true);
  });

  it("does not store an entry bigger than the whole budget, and keeps the others", () => {
    const cache = new LruCache<string, string>(100);
    cache.set("a", "A", 40);
    expect(cache.set("huge", "H", 101)).toBe(false);
    expect(cache.has("huge")).toBe(false);
    expect(cache.peek("a")).toBe("A");
    expect(cache.bytes).toBe(40);
  });

  it("an entry exactly the size of the budget is stored", () => {
    const cache = new LruCache<string, string>(100);
    cache.set("a", "A", 40);
    expect(cache.set("full", "F", 100)).toBe(true);
    expect(cache.keys()).toEqual(["full"]);
    expect(cache.bytes).toBe(100);
  });

  it("replacing a key counts only its new size", () => {
    const cache = new LruCache<string, string>(100);
    cache.set("a", "A1", 40);
    cache.set("a", "A2", 10);
    expect(cache.bytes).toBe(10);
    expect(cache.size).toBe(1);
    expect(cache.get("a")).toBe("A2");
  });

  it("an oversize replacement drops the old value rather than serving it stale", () => {
    const cache = new LruCache<string, string>(100);
    cache.set("a", "old", 40);
    cache.set("a", "new", 500);
    expect(cache.has("a")).toBe(false);
    expect(cache.bytes).toBe(0);
  });

  it("delete and clear give the bytes back", () => {
    const cache = new LruCache<string, string>(100);
    cache.set("a", "A", 30);
    cache.set("b", "B", 20);
    expect(cache.delete("a")).toBe(true);
    expect(cache.delete("a")).toBe(false);
    expect(cache.bytes).toBe(20);
    expect(cache.size).toBe(1);
    cache.clear();
    expect(cache.bytes).toBe(0);
    expect(cache.size).toBe(0);
    expect(cache.get("b")).toBeUndefined();
  });

  it("zero-byte entries are kept and cost nothing", () => {
    const cache = new LruCache<string, string>(0);
    expect(cache.set("empty", "", 0)).toBe(true);
    expect(cache.get("empty")).toBe("");
    expect(cache.bytes).toBe(0);
  });

  it("rejects negative or non-finite sizes", () => {
    const cache = new LruCache<string, string>(100);
    expect(() => cache.set("a", "A", -1)).toThrow(RangeError);
    expect(() => cache.set("a", "A", Number.NaN)).toThrow(RangeError);
    expect(() => new LruCache(-5)).toThrow(RangeError);
  });
});
