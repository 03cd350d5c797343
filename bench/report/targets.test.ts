import { describe, expect, it } from "vitest";
import type { Summary } from "./aggregate.js";
import { evaluateTargets, renderTargets } from "./targets.js";

function summary(peer: string, scenario: Summary["scenario"], overrides: Partial<Summary> = {}): Summary {
  return {
    peer,
    scenario,
    reps: 3,
    assetCount: 1000,
    outcome: "ok",
    failed: 0,
    wallMs: 100,
    wallRatio: 1,
    requests: 1000,
    notModified: 0,
    bodyBytes: 0,
    longTaskMs: 0,
    worstFrameMs: 16.7,
    framesOver33: 0,
    idleWorstFrameMs: 16.7,
    idleFramesOver33: 0,
    peakHeapBytes: null,
    flushP50Ms: null,
    flushP99Ms: null,
    flushSamples: 0,
    flushMaxFinished: null,
    throughputBytesPerSec: null,
    throughputShare: null,
    errors: [],
    ...overrides,
  };
}

const peers = { ours: ["ours"], cacheFirst: "cf" };

describe("evaluateTargets", () => {
  it("reads each target off the medians of ours", () => {
    const checks = evaluateTargets(
      [
        summary("ours", "cold-many-small", { wallRatio: 1.08 }),
        summary("ours", "warm", { wallMs: 120 }),
        summary("cf", "warm", { wallMs: 100 }),
        summary("ours", "revalidate-unchanged", { requests: 1000, bodyBytes: 0 }),
        summary("ours", "game-loop", { framesOver33: 2 }),
        summary("ours", "cold-few-large", { throughputShare: 0.93 }),
      ],
      peers,
    );
    expect(checks.map((check) => check.met)).toEqual([true, false, true, false, true]);
  });

  it("revalidation misses the target with a request too many or any body byte", () => {
    const [tooMany] = evaluateTargets([summary("ours", "revalidate-unchanged", { requests: 1001 })], peers);
    const [bytes] = evaluateTargets([summary("ours", "revalidate-unchanged", { bodyBytes: 4096 })], peers);
    expect(tooMany?.met).toBe(false);
    expect(bytes?.met).toBe(false);
  });

  it("a failed or missing figure is n/a, never met", () => {
    const checks = evaluateTargets([summary("ours", "cold-many-small", { outcome: "failed", wallRatio: 0.5 }), summary("ours", "warm")], peers);
    expect(checks.map((check) => check.met)).toEqual([null, null]);
    expect(renderTargets(checks, { ours: "ours (SW)" })).toContain("| ours (SW) | 0.50× | n/a |");
  });
});
