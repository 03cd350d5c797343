import { describe, expect, it, vi } from "vitest";
import { BatchedLookup } from "./BatchedLookup.js";

describe("BatchedLookup", () => {
  it("reads the keys asked for in one task once, in one call, and answers each caller", async () => {
    const readMany = vi.fn(async (keys: readonly string[]) => keys.map((key) => (key === "none" ? undefined : key.toUpperCase())));
    const lookup = new BatchedLookup(readMany);
    const answers = await Promise.all(["a", "b", "a", "none"].map((key) => lookup.get(key)));
    expect(answers).toEqual(["A", "B", "A", undefined]);
    expect(readMany).toHaveBeenCalledTimes(1);
    expect(readMany.mock.calls[0]![0]).toEqual(["a", "b", "none"]);
  });

  it("answers a failed read with nothing by default, and passes it on with failures: reject", async () => {
    const broken = async (): Promise<string[]> => {
      throw new Error("broken");
    };
    expect(await new BatchedLookup<string, string>(broken).get("a")).toBeUndefined();
    const strict = new BatchedLookup<string, string>(broken, { failures: "reject" });
    const reads = await Promise.allSettled([strict.get("a"), strict.get("a")]);
    expect(reads.map((read) => read.status)).toEqual(["rejected", "rejected"]);
  });

  it("gives each further caller of one key a copy when told how to make one", async () => {
    const lookup = new BatchedLookup(async (keys: readonly string[]) => keys.map(() => Uint8Array.of(1, 2)), { copy: (bytes) => bytes.slice() });
    const [first, second] = await Promise.all([lookup.get("a"), lookup.get("a")]);
    expect(second).toEqual(first);
    expect(second!.buffer).not.toBe(first!.buffer);
  });
});
