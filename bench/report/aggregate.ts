import { median, percentile, ratio } from "../stats.js";
import type { ScenarioId } from "../scenarios.js";
import type { RunRecord } from "./RunRecord.js";

/**
 * `ok`: every repetition loaded every asset with the current content. `failed`: some loads failed.
 * `stale`: everything loaded, but some content was an old revision. `error`: no result at all.
 */
export type Outcome = "ok" | "failed" | "stale" | "error";

export interface Summary {
  peer: string;
  scenario: ScenarioId;
  reps: number;
  /** Assets the step loads. */
  assetCount: number;
  outcome: Outcome;
  /** Median per repetition of failed loads. */
  failed: number | null;
  wallMs: number | null;
  /** Median wall time over the baseline peer's median wall time in the same scenario. */
  wallRatio: number | null;
  requests: number | null;
  notModified: number | null;
  bodyBytes: number | null;
  longTaskMs: number | null;
  worstFrameMs: number | null;
  framesOver33: number | null;
  idleWorstFrameMs: number | null;
  idleFramesOver33: number | null;
  peakHeapBytes: number | null;
  /** Over the flush samples of all repetitions pooled. */
  flushP50Ms: number | null;
  flushP99Ms: number | null;
  flushSamples: number;
  /** Most handles one flush finished, over all repetitions. */
  flushMaxFinished: number | null;
  /** Loaded body bytes per second (binary steps). */
  throughputBytesPerSec: number | null;
  /** Throughput over the baseline's (raw fetch streaming). */
  throughputShare: number | null;
  errors: string[];
}

function outcomeOf(records: readonly RunRecord[]): Outcome {
  if (records.length === 0 || records.some((record) => record.result === null || record.error !== null)) return "error";
  if (records.some((record) => record.result !== null && (record.result.failed > 0 || record.result.loaded < record.expected.count))) return "failed";
  const stale = records.some(
    (record) => record.result !== null && (record.result.revSum !== record.expected.revSum || record.result.bytes !== record.expected.bytes),
  );
  return stale ? "stale" : "ok";
}

function summarise(peer: string, scenario: ScenarioId, records: readonly RunRecord[]): Summary {
  const results = records.map((record) => record.result);
  const pick = <T>(fn: (result: NonNullable<RunRecord["result"]>) => T): T[] => results.flatMap((result) => (result ? [fn(result)] : []));
  const flushSamples = pick((result) => result.flushSamplesMs ?? []).flat();
  const throughput = records.map((record) =>
    record.result && record.expected.bytes > 0 && record.result.wallMs > 0 ? record.result.bytes / (record.result.wallMs / 1000) : null,
  );
  return {
    peer,
    scenario,
    reps: records.length,
    assetCount: records[0]?.expected.count ?? 0,
    outcome: outcomeOf(records),
    failed: median(pick((result) => result.failed)),
    wallMs: median(pick((result) => result.wallMs)),
    wallRatio: null,
    requests: median(records.map((record) => record.origin?.requests)),
    notModified: median(records.map((record) => record.origin?.notModified)),
    bodyBytes: median(records.map((record) => record.origin?.bodyBytes)),
    longTaskMs: median(pick((result) => result.longTaskMs)),
    worstFrameMs: median(pick((result) => result.frames.worstFrameMs)),
    framesOver33: median(pick((result) => result.frames.framesOver33)),
    idleWorstFrameMs: median(pick((result) => result.idleFrames?.worstFrameMs)),
    idleFramesOver33: median(pick((result) => result.idleFrames?.framesOver33)),
    peakHeapBytes: median(pick((result) => result.peakHeapBytes)),
    flushP50Ms: percentile(flushSamples, 50),
    flushP99Ms: percentile(flushSamples, 99),
    flushSamples: flushSamples.length,
    flushMaxFinished: pick((result) => result.flushMaxFinished).reduce<number | null>((max, value) => (value === null ? max : Math.max(max ?? 0, value)), null),
    throughputBytesPerSec: median(throughput),
    throughputShare: null,
    errors: [...new Set(records.flatMap((record) => (record.error ? [record.error] : [])))],
  };
}

/** Medians per (peer, scenario), in the order given, with ratios to `baselinePeer`. */
export function aggregate(records: readonly RunRecord[], peers: readonly string[], scenarios: readonly ScenarioId[], baselinePeer: string): Summary[] {
  const summaries: Summary[] = [];
  for (const scenario of scenarios) {
    const forScenario = records.filter((record) => record.scenario === scenario);
    if (forScenario.length === 0) continue;
    const rows = peers
      .map((peer) => forScenario.filter((record) => record.peer === peer))
      .filter((rows) => rows.length > 0)
      .map((rows) => summarise(rows[0]?.peer as string, scenario, rows));
    // A ratio to a baseline that failed would compare against the time it took to fail.
    const baseline = rows.find((row) => row.peer === baselinePeer && row.outcome === "ok");
    for (const row of rows) {
      row.wallRatio = ratio(row.wallMs, baseline?.wallMs ?? null);
      row.throughputShare = ratio(row.throughputBytesPerSec, baseline?.throughputBytesPerSec ?? null);
    }
    summaries.push(...rows);
  }
  return summaries;
}
