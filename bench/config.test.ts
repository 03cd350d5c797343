import { describe, expect, it } from "vitest";
import { parseArgs } from "./config.js";

describe("parseArgs", () => {
  it("runs the full benchmark by default: 1,000 small files, 8 large ones, every scenario", () => {
    const config = parseArgs([]);
    expect(config.quick).toBe(false);
    expect(config.assets).toMatchObject({ smallCount: 1000, smallBytes: 4096, largeCount: 8, largeBytes: 8 * 2 ** 20 });
    expect(config.scenarios).toContain("game-loop");
    expect(config.scenarios).not.toContain("origin-down");
    expect(config.reps).toBeGreaterThanOrEqual(3);
  });
  it("--quick runs fewer repetitions on fewer files", () => {
    const full = parseArgs([]);
    const quick = parseArgs(["--quick"]);
    expect(quick.reps).toBeLessThan(full.reps);
    expect(quick.assets.smallCount).toBeLessThan(full.assets.smallCount);
  });
  it("takes repetitions, peers and scenarios", () => {
    const config = parseArgs(["--reps", "3", "--peers", "plain-fetch,ours-sw", "--scenarios", "warm,origin-down"]);
    expect(config).toMatchObject({ reps: 3, peers: ["plain-fetch", "ours-sw"], scenarios: ["warm", "origin-down"] });
  });
  it("refuses unknown arguments, unknown scenarios and bad repetition counts", () => {
    expect(() => parseArgs(["--fast"])).toThrow(/unknown argument/);
    expect(() => parseArgs(["--scenarios", "warm,lukewarm"])).toThrow(/lukewarm/);
    expect(() => parseArgs(["--reps", "0"])).toThrow(/positive/);
    expect(() => parseArgs(["--reps"])).toThrow(/needs a value/);
  });
});
