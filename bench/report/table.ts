import { SCENARIO_LABELS } from "../scenarios.js";
import type { Summary } from "./aggregate.js";
import { DASH, fixed, kib, mib, mibPerSec, percent, times } from "./format.js";

type Labels = Record<string, string>;

function row(cells: readonly string[]): string {
  return `| ${cells.map((cell) => cell.replace(/\|/g, "\\|")).join(" | ")} |`;
}

function outcomeCell(summary: Summary): string {
  switch (summary.outcome) {
    case "ok":
      return "ok";
    case "failed":
      return `${fixed(summary.failed)} failed`;
    case "stale":
      return "stale content";
    case "error":
      return `error: ${summary.errors[0] ?? "no result"}`;
  }
}

/** The main table (Markdown, so stdout and the README show the same thing), one row per peer per scenario. */
export function renderTable(summaries: readonly Summary[], peerLabels: Labels): string {
  const header = ["scenario", "peer", "wall ms", "vs fetch", "requests", "304s", "body KiB", "long tasks ms", "worst frame ms", "frames >33 ms", "heap MiB", "result"];
  const lines = [row(header), row(header.map((_, i) => (i < 2 ? "---" : "---:")))];
  for (const summary of summaries) {
    lines.push(
      row([
        SCENARIO_LABELS[summary.scenario],
        peerLabels[summary.peer] ?? summary.peer,
        fixed(summary.wallMs),
        times(summary.wallRatio),
        fixed(summary.requests),
        fixed(summary.notModified),
        kib(summary.bodyBytes),
        fixed(summary.longTaskMs),
        fixed(summary.worstFrameMs, 1),
        fixed(summary.framesOver33),
        mib(summary.peakHeapBytes),
        outcomeCell(summary),
      ]),
    );
  }
  return lines.join("\n");
}

/**
 * Large-file throughput; the game loop's own jank with nothing loading; and `flush()` cost per
 * frame (ours), in the game loop and on the warm reload where the most completions land at once.
 */
export function renderExtrasTable(summaries: readonly Summary[], peerLabels: Labels): string {
  const header = [
    "peer",
    "few-large MiB/s",
    "share of raw fetch",
    "idle game loop: worst frame ms",
    "idle frames >33 ms",
    "flush() p50 / p99 ms, game loop",
    "flush() p50 / p99 ms, warm",
    "most handles in one flush",
  ];
  const lines = [row(header), row(header.map((_, i) => (i === 0 ? "---" : "---:")))];
  const peers = [...new Set(summaries.map((summary) => summary.peer))];
  const flushCell = (summary: Summary | undefined): string =>
    summary && summary.flushP50Ms !== null ? `${fixed(summary.flushP50Ms, 2)} / ${fixed(summary.flushP99Ms, 2)}` : DASH;
  for (const peer of peers) {
    const of = (scenario: Summary["scenario"]): Summary | undefined => summaries.find((summary) => summary.peer === peer && summary.scenario === scenario);
    const large = of("cold-few-large");
    const game = of("game-loop");
    const most = summaries
      .filter((summary) => summary.peer === peer)
      .reduce<number | null>((max, summary) => (summary.flushMaxFinished === null ? max : Math.max(max ?? 0, summary.flushMaxFinished)), null);
    lines.push(
      row([
        peerLabels[peer] ?? peer,
        large ? mibPerSec(large.throughputBytesPerSec) : DASH,
        large ? percent(large.throughputShare) : DASH,
        game ? fixed(game.idleWorstFrameMs, 1) : DASH,
        game ? fixed(game.idleFramesOver33) : DASH,
        flushCell(game),
        flushCell(of("warm")),
        fixed(most),
      ]),
    );
  }
  return lines.join("\n");
}
