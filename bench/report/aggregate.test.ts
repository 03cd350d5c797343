import { describe, expect, it } from "vitest";
import type { RunResult } from "../pages/shared/benchApi.js";
import { aggregate } from "./aggregate.js";
import type { RunRecord } from "./RunRecord.js";

function result(overrides: Partial<RunResult> = {}): RunResult {
  return {
    loaded: 10,
    failed: 0,
    revSum: 0,
    bytes: 0,
    wallMs: 100,
    longTaskMs: 0,
    longTaskCount: 0,
    frames: { frames: 6, worstFrameMs: 16.7, framesOver33: 0 },
    idleFrames: null,
    peakHeapBytes: 1_000_000,
    flushSamplesMs: null,
    flushMaxFinished: null,
    controlled: false,
    ...overrides,
  };
}

function record(peer: string, overrides: Partial<RunResult> = {}, extra: Partial<RunRecord> = {}): RunRecord {
  return {
    rep: 1,
    peer,
    scenario: "cold-many-small",
    expected: { count: 10, revSum: 0, bytes: 0 },
    result: result(overrides),
    origin: { requests: 10, notModified: 0, bodyBytes: 40960, refused: 0 },
    error: null,
    ...extra,
  };
}

describe("aggregate", () => {
  it("reports each peer's median wall time and its ratio to the baseline's median", () => {
    const records = [
      record("fetch", { wallMs: 100 }),
      record("fetch", { wallMs: 300 }),
      record("fetch", { wallMs: 200 }),
      record("ours", { wallMs: 210 }),
      record("ours", { wallMs: 230 }),
      record("ours", { wallMs: 220 }),
    ];
    const [fetchRow, oursRow] = aggregate(records, ["fetch", "ours"], ["cold-many-small"], "fetch");
    expect(fetchRow?.wallMs).toBe(200);
    expect(fetchRow?.wallRatio).toBe(1);
    expect(oursRow?.wallMs).toBe(220);
    expect(oursRow?.wallRatio).toBeCloseTo(1.1);
  });

  it("calls a peer failed when any repetition lost a load, and stale when content was an old revision", () => {
    const summaries = aggregate(
      [
        record("a"),
        record("a", { failed: 1, loaded: 9 }),
        { ...record("b", { revSum: 0 }), expected: { count: 10, revSum: 1, bytes: 0 } },
        record("c", {}, { result: null, error: "timeout" }),
      ],
      ["a", "b", "c"],
      ["cold-many-small"],
      "a",
    );
    expect(summaries.map((summary) => summary.outcome)).toEqual(["failed", "stale", "error"]);
    expect(summaries[2]?.errors).toEqual(["timeout"]);
  });

  it("pools flush samples of all repetitions for p50 and p99", () => {
    const samples = (from: number) => Array.from({ length: 50 }, (_, i) => from + i);
    const [row] = aggregate(
      [record("ours", { flushSamplesMs: samples(1) }), record("ours", { flushSamplesMs: samples(51) })],
      ["ours"],
      ["cold-many-small"],
      "fetch",
    );
    expect(row?.flushSamples).toBe(100);
    expect(row?.flushP50Ms).toBe(50);
    expect(row?.flushP99Ms).toBe(99);
  });

  it("gives large-file throughput as a share of the baseline's", () => {
    const large = (peer: string, wallMs: number): RunRecord => ({
      ...record(peer, { wallMs, bytes: 8 * 2 ** 20, loaded: 1 }),
      scenario: "cold-few-large",
      expected: { count: 1, revSum: 0, bytes: 8 * 2 ** 20 },
    });
    const [raw, ours] = aggregate([large("fetch", 100), large("ours", 125)], ["fetch", "ours"], ["cold-few-large"], "fetch");
    expect(raw?.throughputBytesPerSec).toBeCloseTo(80 * 2 ** 20);
    expect(ours?.throughputShare).toBeCloseTo(0.8);
  });

  it("keeps scenario order and skips scenarios nobody ran", () => {
    const warm = { ...record("a"), scenario: "warm" as const };
    const summaries = aggregate([warm, record("a")], ["a"], ["cold-many-small", "cold-few-large", "warm"], "a");
    expect(summaries.map((summary) => summary.scenario)).toEqual(["cold-many-small", "warm"]);
  });
});

describe("aggregate against a failed baseline", () => {
  it("gives no ratios when the baseline did not load everything", () => {
    const summaries = aggregate(
      [record("fetch", { failed: 10, loaded: 0, wallMs: 5 }), record("ours", { wallMs: 50 })],
      ["fetch", "ours"],
      ["cold-many-small"],
      "fetch",
    );
    expect(summaries.map((summary) => summary.wallRatio)).toEqual([null, null]);
    expect(summaries[1]?.wallMs).toBe(50);
  });
});
