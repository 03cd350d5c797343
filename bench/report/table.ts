import { SCENARIO_LABELS } from "../scenarios";
import type { Summary } from "./aggregate";
import { DASH, fixed, kib, mib, mibPerSec, percent, times } from "./format";

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

/** Large-file throughput and, for the game loop, idle jank and `flush()` cost per frame. */
export function renderExtrasTable(summaries: readonly Summary[], peerLabels: Labels): string {
  const header = ["peer", "few-large MiB/s", "share of raw fetch", "game loop: idle worst frame ms", "idle frames >33 ms", "flush() p50 ms", "flush() p99 ms"];
  const lines = [row(header), row(header.map((_, i) => (i === 0 ? "---" : "---:")))];
  const peers = [...new Set(summaries.map((summary) => summary.peer))];
  for (const peer of peers) {
    const large = summaries.find((summary) => summary.peer === peer && summary.scenario === "cold-few-large");
    const game = summaries.find((summary) => summary.peer === peer && summary.scenario === "game-loop");
    lines.push(
      row([
        peerLabels[peer] ?? peer,
        large ? mibPerSec(large.throughputBytesPerSec) : DASH,
        large ? percent(large.throughputShare) : DASH,
        game ? fixed(game.idleWorstFrameMs, 1) : DASH,
        game ? fixed(game.idleFramesOver33) : DASH,
        game ? fixed(game.flushP50Ms, 3) : DASH,
        game ? fixed(game.flushP99Ms, 3) : DASH,
      ]),
    );
  }
  return lines.join("\n");
}
