import { describe, expect, it } from "vitest";
import type { Summary } from "./aggregate.js";
import { evaluateTargets, renderTargets, type TargetCheck } from "./targets.js";

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
    notModified: 1000,
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

const peers = { ours: ["sw", "page"], throughWorker: ["sw"], cacheFirst: "cf" };

function only(checks: TargetCheck[]): TargetCheck {
  expect(checks).toHaveLength(1);
  return checks[0] as TargetCheck;
}

describe("evaluateTargets", () => {
  it("reads the issue's targets off the medians, in the issue's order, for the rows each applies to", () => {
    const checks = evaluateTargets(
      [
        summary("sw", "cold-many-small", { wallRatio: 1.08 }),
        summary("sw", "cold-many-small-h2", { wallRatio: 1.3 }),
        summary("page", "cold-many-small", { wallRatio: 0.9 }),
        summary("page", "cold-many-small-h2", { wallRatio: 0.9 }),
        summary("sw", "warm", { wallMs: 25 }),
        summary("page", "warm", { wallMs: 25 }),
        summary("cf", "warm", { wallMs: 100 }),
        summary("sw", "revalidate-unchanged", { wallRatio: 0.97 }),
        summary("page", "revalidate-unchanged", { wallRatio: 1.2 }),
        summary("sw", "cold-few-large", { throughputShare: 0.93 }),
        summary("page", "cold-few-large", { throughputShare: 0.85 }),
        summary("sw", "game-loop", { framesOver33: 2 }),
        summary("page", "game-loop", { framesOver33: 0 }),
      ],
      peers,
    );
    expect(checks.map((check) => [check.target, check.peer, check.met])).toEqual([
      ["cold many-small through the worker, HTTP/1.1: ≤ 1.10× plain fetch", "sw", true],
      ["cold many-small through the worker, HTTP/2: ≤ 1.10× plain fetch", "sw", false],
      ["warm reload through the worker: ≤ 0.3× Workbox CacheFirst", "sw", true],
      ["revalidate all unchanged: ≤ 1.0× plain fetch, 1 conditional request per asset, 0 body bytes", "sw", true],
      ["revalidate all unchanged: ≤ 1.0× plain fetch, 1 conditional request per asset, 0 body bytes", "page", false],
      ["few-large: ≥ 90% of raw fetch throughput", "sw", true],
      ["few-large: ≥ 90% of raw fetch throughput", "page", false],
      ["loading in the game loop: 0 frames > 33 ms", "sw", false],
      ["loading in the game loop: 0 frames > 33 ms", "page", true],
    ]);
  });

  it("holds cold many-small to 1.10× plain fetch on each protocol, the limit itself included", () => {
    const cold = (wallRatio: number, scenario: Summary["scenario"] = "cold-many-small") => only(evaluateTargets([summary("sw", scenario, { wallRatio, wallMs: 880 })], peers));
    expect(cold(1.1).met).toBe(true);
    expect(cold(1.11).met).toBe(false);
    expect(cold(1.1, "cold-many-small-h2").met).toBe(true);
    expect(cold(1.11, "cold-many-small-h2").met).toBe(false);
    expect(cold(1.05, "cold-many-small-h2").value).toBe("1.05× (880 ms)");
  });

  it("holds the warm reload to 0.3× of Workbox CacheFirst's wall time", () => {
    const warm = (ours: number, cacheFirst: Partial<Summary> = {}) =>
      only(evaluateTargets([summary("sw", "warm", { wallMs: ours }), summary("cf", "warm", { wallMs: 100, ...cacheFirst })], peers));
    expect(warm(30).met).toBe(true);
    expect(warm(31).met).toBe(false);
    expect(warm(31).value).toBe("0.31× (31 ms vs 100 ms)");
    // A CacheFirst run that failed, or did not run, leaves nothing to compare with.
    expect(warm(10, { outcome: "failed" }).met).toBeNull();
    expect(only(evaluateTargets([summary("sw", "warm", { wallMs: 10 })], peers)).met).toBeNull();
  });

  it("revalidation misses the target when slower than plain fetch, with a request too many, a 200 instead of a 304, or any body byte", () => {
    const revalidate = (overrides: Partial<Summary>) => only(evaluateTargets([summary("sw", "revalidate-unchanged", overrides)], { ...peers, ours: ["sw"] }));
    expect(revalidate({}).met).toBe(true);
    expect(revalidate({ wallRatio: 1.01 }).met).toBe(false);
    expect(revalidate({ requests: 1001 }).met).toBe(false);
    expect(revalidate({ notModified: 999 }).met).toBe(false);
    expect(revalidate({ bodyBytes: 4096 }).met).toBe(false);
    expect(revalidate({ wallRatio: 0.5, notModified: 1000, bodyBytes: 0 }).value).toBe("0.50×; 1000 requests, 1000 × 304 for 1000 assets; 0 KiB");
  });

  it("holds few-large to 90% of raw fetch throughput", () => {
    const large = (throughputShare: number) => only(evaluateTargets([summary("sw", "cold-few-large", { throughputShare })], { ...peers, ours: ["sw"] }));
    expect(large(0.9).met).toBe(true);
    expect(large(0.89).met).toBe(false);
  });

  it("a failed or missing figure is n/a, never met, so a fast failure never passes", () => {
    const checks = evaluateTargets(
      [
        summary("sw", "cold-many-small", { outcome: "failed", wallRatio: 0.5 }),
        summary("sw", "cold-many-small-h2", { wallRatio: null }),
        summary("sw", "game-loop", { outcome: "failed", framesOver33: 0 }),
      ],
      { ...peers, ours: ["sw"] },
    );
    expect(checks.map((check) => check.met)).toEqual([null, null, null]);
    expect(renderTargets(checks, { sw: "ours (SW)" })).toContain("| ours (SW) | 0.50× (100 ms) | n/a |");
  });
  it("issue 15: packs at 0.2× plain fetch; an unchanged content-addressed manifest in 1 request at 0.1×; one changed entry in 2 requests", () => {
    const check = (scenario: Summary["scenario"], overrides: Partial<Summary>) => only(evaluateTargets([summary("sw", scenario, overrides)], { ...peers, ours: ["sw"] }));
    expect(check("cold-pkg-packs", { wallRatio: 0.2, requests: 2 }).met).toBe(true);
    expect(check("cold-pkg-packs", { wallRatio: 0.21, requests: 2 }).met).toBe(false);
    expect(check("cold-pkg-packs", { wallRatio: 0.1, requests: 2, wallMs: 90 }).value).toBe("0.10× (90 ms); 2 requests for 1000 files");
    expect(check("revalidate-manifest-integrity", { wallRatio: 0.1, requests: 1 }).met).toBe(true);
    expect(check("revalidate-manifest-integrity", { wallRatio: 0.11, requests: 1 }).met).toBe(false);
    expect(check("revalidate-manifest-integrity", { wallRatio: 0.05, requests: 2 }).met).toBe(false);
    expect(check("changed-one-manifest-integrity", { requests: 2 }).met).toBe(true);
    expect(check("changed-one-manifest-integrity", { requests: 3 }).met).toBe(false);
    expect(check("changed-one-manifest-integrity", { requests: 2, outcome: "stale" }).met).toBeNull();
  });
});
