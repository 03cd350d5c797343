import type { ScenarioId } from "../scenarios.js";
import type { Summary } from "./aggregate.js";
import { fixed, kib, percent, times } from "./format.js";

/** A target from the issue, read off the medians: reported, never asserted. */
export interface TargetCheck {
  target: string;
  peer: string;
  value: string;
  /** `null` when the figures needed are missing. */
  met: boolean | null;
}

export interface TargetPeers {
  ours: readonly string[];
  cacheFirst: string;
}

function find(summaries: readonly Summary[], peer: string, scenario: ScenarioId): Summary | undefined {
  return summaries.find((summary) => summary.peer === peer && summary.scenario === scenario);
}

export function evaluateTargets(summaries: readonly Summary[], peers: TargetPeers): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const peer of peers.ours) {
    const cold = find(summaries, peer, "cold-many-small");
    if (cold) {
      checks.push({
        target: "cold many-small within 1.10× of plain fetch",
        peer,
        value: times(cold.wallRatio),
        met: cold.wallRatio === null || cold.outcome !== "ok" ? null : cold.wallRatio <= 1.1,
      });
    }
    const warm = find(summaries, peer, "warm");
    const cacheFirst = find(summaries, peers.cacheFirst, "warm");
    if (warm) {
      const both = warm.wallMs !== null && cacheFirst?.wallMs != null && warm.outcome === "ok";
      checks.push({
        target: "warm at least as fast as Workbox CacheFirst",
        peer,
        value: `${fixed(warm.wallMs)} ms vs ${fixed(cacheFirst?.wallMs ?? null)} ms`,
        met: both ? (warm.wallMs as number) <= (cacheFirst?.wallMs as number) : null,
      });
    }
    const revalidate = find(summaries, peer, "revalidate-unchanged");
    if (revalidate) {
      checks.push({
        target: "revalidate-all-unchanged: one request per asset, zero body bytes",
        peer,
        value: `${fixed(revalidate.requests)} requests for ${revalidate.assetCount} assets, ${kib(revalidate.bodyBytes)} KiB`,
        met:
          revalidate.requests === null || revalidate.bodyBytes === null
            ? null
            : revalidate.outcome === "ok" && revalidate.requests === revalidate.assetCount && revalidate.bodyBytes === 0,
      });
    }
    const game = find(summaries, peer, "game-loop");
    if (game) {
      checks.push({
        target: "no frame over 33 ms while loading in the game loop",
        peer,
        value: `frames >33 ms: ${fixed(game.framesOver33)}, worst ${fixed(game.worstFrameMs, 1)} ms (idle loop: ${fixed(game.idleFramesOver33)}, worst ${fixed(game.idleWorstFrameMs, 1)} ms)`,
        met: game.framesOver33 === null ? null : game.framesOver33 === 0,
      });
    }
    const large = find(summaries, peer, "cold-few-large");
    if (large) {
      checks.push({
        target: "large files at 90%+ of raw fetch streaming throughput",
        peer,
        value: percent(large.throughputShare),
        met: large.throughputShare === null || large.outcome !== "ok" ? null : large.throughputShare >= 0.9,
      });
    }
  }
  return checks;
}

export function renderTargets(checks: readonly TargetCheck[], peerLabels: Record<string, string>): string {
  const mark = (met: boolean | null): string => (met === null ? "n/a" : met ? "met" : "not met");
  const lines = ["| target | peer | measured | |", "| --- | --- | --- | --- |"];
  for (const check of checks) lines.push(`| ${check.target} | ${peerLabels[check.peer] ?? check.peer} | ${check.value} | ${mark(check.met)} |`);
  return lines.join("\n");
}
