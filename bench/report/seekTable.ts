import type { SeekRecord } from "../measureSeek.js";
import { median, ratio } from "../stats.js";
import { DASH, fixed, mib, times } from "./format.js";

export interface SeekSummary {
  peer: string;
  reps: number;
  /** Over every seek of every repetition that produced one. */
  seeks: number;
  msMedian: number | null;
  msMax: number | null;
  /** Median over the peer's seeks, over the baseline's. */
  ratio: number | null;
  heapRiseMedianBytes: number | null;
  heapRiseMaxBytes: number | null;
  /** Median per repetition. */
  originRequests: number | null;
  /** Each seek's `servedFrom` (or status), counted. */
  servedFrom: Record<string, number>;
  errors: string[];
}

const max = (values: readonly number[]): number | null => (values.length === 0 ? null : Math.max(...values));

/** Medians per peer, in the order given; the ratio is to `baselinePeer`'s median seek. */
export function summariseSeeks(records: readonly SeekRecord[], peers: readonly string[], baselinePeer: string): SeekSummary[] {
  const summaries = peers.flatMap((peer): SeekSummary[] => {
    const own = records.filter((record) => record.peer === peer);
    if (own.length === 0) return [];
    // A failed read's time is the time it took to fail: only a full 206 counts.
    const seeks = own.flatMap((record) => record.seeks.filter((seek) => seek.status === 206 && seek.byteLength === record.rangeBytes));
    const ms = seeks.map((seek) => seek.ms);
    const rises = seeks.flatMap((seek) => (seek.workerHeapRiseBytes === null ? [] : [seek.workerHeapRiseBytes]));
    const servedFrom: Record<string, number> = {};
    for (const seek of own.flatMap((record) => record.seeks)) {
      const key = seek.servedFrom ?? `HTTP ${seek.status}`;
      servedFrom[key] = (servedFrom[key] ?? 0) + 1;
    }
    return [
      {
        peer,
        reps: own.length,
        seeks: seeks.length,
        msMedian: median(ms),
        msMax: max(ms),
        ratio: null,
        heapRiseMedianBytes: median(rises),
        heapRiseMaxBytes: max(rises),
        originRequests: median(own.map((record) => (record.error === null ? record.originRequests : null))),
        servedFrom,
        errors: [...new Set(own.flatMap((record) => (record.error === null ? [] : [record.error])))],
      },
    ];
  });
  const baseline = summaries.find((summary) => summary.peer === baselinePeer && summary.errors.length === 0);
  for (const summary of summaries) summary.ratio = ratio(summary.msMedian, baseline?.msMedian ?? null);
  return summaries;
}

/** The seek figure as a Markdown table, one row per peer. */
export function renderSeekTable(summaries: readonly SeekSummary[], peerLabels: Readonly<Record<string, string>>): string {
  const header = ["peer", "seeks", "ms per 1 MiB seek, median", "max", "vs fetch", "worker heap rise MiB, median", "max", "origin requests", "served from", "result"];
  const rows = summaries.map((summary) => [
    peerLabels[summary.peer] ?? summary.peer,
    String(summary.seeks),
    fixed(summary.msMedian, 1),
    fixed(summary.msMax, 1),
    times(summary.ratio),
    mib(summary.heapRiseMedianBytes),
    mib(summary.heapRiseMaxBytes),
    fixed(summary.originRequests),
    Object.entries(summary.servedFrom)
      .map(([from, count]) => `${from} ×${count}`)
      .join(", ") || DASH,
    summary.errors.length === 0 ? "ok" : summary.errors.join("; "),
  ]);
  return [header, header.map((_, index) => (index === 0 ? "---" : "---:")), ...rows].map((cells) => `| ${cells.join(" | ")} |`).join("\n");
}
