import { describe, expect, it } from "vitest";
import { parseArgs } from "../config.js";
import type { RunResult } from "../pages/shared/benchApi.js";
import { ALL_PEERS } from "../peers/allPeers.js";
import type { ScenarioId } from "../scenarios.js";
import { buildReport } from "./buildReport.js";
import type { RunRecord } from "./RunRecord.js";

function record(peer: string, scenario: ScenarioId, wallMs: number): RunRecord {
  const result: RunResult = {
    loaded: 150,
    failed: 0,
    revSum: 0,
    bytes: 0,
    wallMs,
    longTaskMs: 0,
    longTaskCount: 0,
    frames: { frames: 10, worstFrameMs: 16.7, framesOver33: 0 },
    idleFrames: null,
    peakHeapBytes: null,
    flushSamplesMs: null,
    flushMaxFinished: null,
    controlled: false,
  };
  return { rep: 1, peer, scenario, expected: { count: 150, revSum: 0, bytes: 0 }, result, origin: { requests: 150, notModified: 0, bodyBytes: 614400, refused: 0 }, error: null };
}

function report(records: RunRecord[], scenarios: ScenarioId[]) {
  return buildReport({
    records,
    peers: ALL_PEERS,
    scenarios,
    config: parseArgs(["--quick"]),
    machine: { cpu: "cpu", cores: 2, memoryGiB: 8, os: "Linux", node: "20", browser: "Chromium", loadAverage: { start: 0, end: 0 } },
    command: "npm run bench -- --quick",
    date: new Date("2026-01-01T00:00:00Z"),
    durationMs: 60_000,
  });
}

describe("buildReport", () => {
  it("takes every ratio against the Promise.all plain fetch, the pool of 6 being a row like any other", () => {
    const { summaries } = report(
      [record("plain-fetch", "cold-many-small", 800), record("plain-fetch-pool6", "cold-many-small", 1000), record("ours-sw", "cold-many-small", 880)],
      ["cold-many-small"],
    );
    const ratios = Object.fromEntries(summaries.map((summary) => [summary.peer, summary.wallRatio]));
    expect(ratios["plain-fetch"]).toBe(1);
    expect(ratios["plain-fetch-pool6"]).toBeCloseTo(1.25);
    expect(ratios["ours-sw"]).toBeCloseTo(1.1);
  });

  it("reports HTTP/2 beside HTTP/1.1, each against plain fetch on the same protocol, and checks the cold target on both for the worker only", () => {
    const { summaries, targets, text } = report(
      [
        record("plain-fetch", "cold-many-small", 800),
        record("plain-fetch", "cold-many-small-h2", 400),
        record("ours-sw", "cold-many-small", 840),
        record("ours-sw", "cold-many-small-h2", 600),
        record("ours-in-page", "cold-many-small-h2", 400),
      ],
      ["cold-many-small", "cold-many-small-h2"],
    );
    expect(summaries.find((summary) => summary.peer === "ours-sw" && summary.scenario === "cold-many-small-h2")?.wallRatio).toBeCloseTo(1.5);
    expect(targets.map((check) => [check.target, check.peer, check.met])).toEqual([
      ["cold many-small through the worker, HTTP/1.1: ≤ 1.10× plain fetch", "ours-sw", true],
      ["cold many-small through the worker, HTTP/2: ≤ 1.10× plain fetch", "ours-sw", false],
    ]);
    expect(text).toContain("| cold many-small, HTTP/2 | ours (Service Worker) | 600 | 1.50× |");
    expect(text).toContain("| cold many-small through the worker, HTTP/2: ≤ 1.10× plain fetch | ours (Service Worker) | 1.50× (600 ms) | not met |");
  });
});
