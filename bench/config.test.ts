import { describe, expect, it } from "vitest";
import { parseArgs } from "./config.js";

describe("parseArgs", () => {
  it("runs the full benchmark by default: 1,000 small files, 8 large ones, every scenario", () => {
    const config = parseArgs([]);
    expect(config.quick).toBe(false);
    expect(config.assets).toMatchObject({ smallCount: 1000, smallBytes: 4096, largeCount: 8, largeBytes: 8 * 2 ** 20 });
    expect(config.scenarios).toContain("game-loop");
    // Cold many-small on both protocols, side by side.
    expect(config.scenarios.slice(0, 2)).toEqual(["cold-many-small", "cold-many-small-h2"]);
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
    const config = parseArgs(["--reps", "3", "--peers", "plain-fetch,plain-fetch-pool6", "--scenarios", "cold-many-small-h2,origin-down"]);
    expect(config).toMatchObject({ reps: 3, peers: ["plain-fetch", "plain-fetch-pool6"], scenarios: ["cold-many-small-h2", "origin-down"] });
  });
  it("runs the <img> scenarios by default, and makes the 64 MiB film only when the opt-in seek figure is wanted, --quick or not", () => {
    expect(parseArgs([]).scenarios).toEqual(expect.arrayContaining(["cold-img", "warm-img"]));
    expect(parseArgs([]).scenarios).not.toContain("seek-64mib");
    expect(parseArgs([]).assets.filmBytes ?? 0).toBe(0);
    expect(parseArgs(["--quick", "--scenarios", "warm-img,seek-64mib"]).assets.filmBytes).toBe(64 * 2 ** 20);
  });
  it("refuses unknown arguments, unknown scenarios and bad repetition counts", () => {
    expect(() => parseArgs(["--fast"])).toThrow(/unknown argument/);
    expect(() => parseArgs(["--scenarios", "warm,lukewarm"])).toThrow(/lukewarm/);
    expect(() => parseArgs(["--reps", "0"])).toThrow(/positive/);
    expect(() => parseArgs(["--reps"])).toThrow(/needs a value/);
  });
});
