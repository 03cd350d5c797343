import type { ScenarioId } from "../scenarios.js";
import type { Summary } from "./aggregate.js";
import { fixed, kib, percent, times } from "./format.js";

/** A target from the issue, read off the medians: reported, never asserted. */
export interface TargetCheck {
  target: string;
  peer: string;
  value: string;
  /** `null` when the figures needed are missing, or come from a run that did not load everything. */
  met: boolean | null;
}

export interface TargetPeers {
  /** Every row of ours (both backends). */
  ours: readonly string[];
  /** Ours through its Service Worker: the targets the issue sets "through the worker" are read off these alone. */
  throughWorker: readonly string[];
  cacheFirst: string;
}

/** The limits, in one place. */
export const TARGET_LIMITS = {
  /** Cold many-small wall time over plain fetch's, on HTTP/1.1 and on HTTP/2. */
  coldRatio: 1.1,
  /** Warm reload wall time over Workbox CacheFirst's. */
  warmOverCacheFirst: 0.3,
  /** Revalidate-all-unchanged wall time over plain fetch's. */
  revalidateRatio: 1.0,
  /** Few-large throughput over raw fetch streaming's. */
  largeShare: 0.9,
  /** Issue 15: cold many-small from packs over plain fetch of the same files one by one. */
  packsRatio: 0.2,
  /** Issue 15: revalidating a content-addressed manifest over plain fetch revalidating its files. */
  manifestRevalidateRatio: 0.1,
  /** Issue 15: requests at the origin for an unchanged content-addressed manifest, and with one entry changed. */
  manifestUnchangedRequests: 1,
  manifestChangedOneRequests: 2,
} as const;

const COLD: readonly { scenario: ScenarioId; protocol: string }[] = [
  { scenario: "cold-many-small", protocol: "HTTP/1.1" },
  { scenario: "cold-many-small-h2", protocol: "HTTP/2" },
];

function find(summaries: readonly Summary[], peer: string, scenario: ScenarioId): Summary | undefined {
  return summaries.find((summary) => summary.peer === peer && summary.scenario === scenario);
}

/** A limit on a ratio: n/a (never met) when the ratio is missing or the run did not load everything. */
function atMost(value: number | null, limit: number, summary: Summary): boolean | null {
  return value === null || summary.outcome !== "ok" ? null : value <= limit;
}

function coldChecks(summaries: readonly Summary[], peers: TargetPeers): TargetCheck[] {
  return COLD.flatMap(({ scenario, protocol }) =>
    peers.throughWorker.flatMap((peer) => {
      const cold = find(summaries, peer, scenario);
      if (!cold) return [];
      return [
        {
          target: `cold many-small through the worker, ${protocol}: ≤ ${TARGET_LIMITS.coldRatio.toFixed(2)}× plain fetch`,
          peer,
          value: `${times(cold.wallRatio)} (${fixed(cold.wallMs)} ms)`,
          met: atMost(cold.wallRatio, TARGET_LIMITS.coldRatio, cold),
        },
      ];
    }),
  );
}

function warmChecks(summaries: readonly Summary[], peers: TargetPeers): TargetCheck[] {
  const cacheFirst = find(summaries, peers.cacheFirst, "warm");
  return peers.throughWorker.flatMap((peer) => {
    const warm = find(summaries, peer, "warm");
    if (!warm) return [];
    // A ratio to a CacheFirst run that failed would compare against the time it took to fail.
    const share = warm.wallMs !== null && cacheFirst?.outcome === "ok" && cacheFirst.wallMs ? warm.wallMs / cacheFirst.wallMs : null;
    return [
      {
        target: `warm reload through the worker: ≤ ${TARGET_LIMITS.warmOverCacheFirst}× Workbox CacheFirst`,
        peer,
        value: `${times(share)} (${fixed(warm.wallMs)} ms vs ${fixed(cacheFirst?.wallMs ?? null)} ms)`,
        met: atMost(share, TARGET_LIMITS.warmOverCacheFirst, warm),
      },
    ];
  });
}

function revalidateChecks(summaries: readonly Summary[], peers: TargetPeers): TargetCheck[] {
  return peers.ours.flatMap((peer) => {
    const revalidate = find(summaries, peer, "revalidate-unchanged");
    if (!revalidate) return [];
    const { wallRatio, requests, notModified, bodyBytes, assetCount } = revalidate;
    const figures = wallRatio === null || requests === null || notModified === null || bodyBytes === null || revalidate.outcome !== "ok";
    // One conditional request per asset: as many requests as assets, each answered 304.
    const oneConditionalEach = requests === assetCount && notModified === assetCount;
    return [
      {
        target: `revalidate all unchanged: ≤ ${TARGET_LIMITS.revalidateRatio.toFixed(1)}× plain fetch, 1 conditional request per asset, 0 body bytes`,
        peer,
        value: `${times(wallRatio)}; ${fixed(requests)} requests, ${fixed(notModified)} × 304 for ${assetCount} assets; ${kib(bodyBytes)} KiB`,
        met: figures ? null : (wallRatio as number) <= TARGET_LIMITS.revalidateRatio && oneConditionalEach && bodyBytes === 0,
      },
    ];
  });
}

function largeChecks(summaries: readonly Summary[], peers: TargetPeers): TargetCheck[] {
  return peers.ours.flatMap((peer) => {
    const large = find(summaries, peer, "cold-few-large");
    if (!large) return [];
    const share = large.throughputShare;
    return [
      {
        target: `few-large: ≥ ${percent(TARGET_LIMITS.largeShare)} of raw fetch throughput`,
        peer,
        value: percent(share),
        met: share === null || large.outcome !== "ok" ? null : share >= TARGET_LIMITS.largeShare,
      },
    ];
  });
}

function gameLoopChecks(summaries: readonly Summary[], peers: TargetPeers): TargetCheck[] {
  return peers.ours.flatMap((peer) => {
    const game = find(summaries, peer, "game-loop");
    if (!game) return [];
    return [
      {
        target: "loading in the game loop: 0 frames > 33 ms",
        peer,
        value: `frames >33 ms: ${fixed(game.framesOver33)}, worst ${fixed(game.worstFrameMs, 1)} ms (idle loop: ${fixed(game.idleFramesOver33)}, worst ${fixed(game.idleWorstFrameMs, 1)} ms)`,
        // A run that failed its loads may have had nothing to jank over.
        met: game.framesOver33 === null || game.outcome !== "ok" ? null : game.framesOver33 === 0,
      },
    ];
  });
}

/** Issue 15: packs and content-addressed manifests, for every row of ours. */
function packChecks(summaries: readonly Summary[], peers: TargetPeers): TargetCheck[] {
  return peers.ours.flatMap((peer) => {
    const checks: TargetCheck[] = [];
    const packs = find(summaries, peer, "cold-pkg-packs");
    if (packs) {
      checks.push({
        target: `cold many-small from packs: ≤ ${TARGET_LIMITS.packsRatio}× plain fetch of the files one by one`,
        peer,
        value: `${times(packs.wallRatio)} (${fixed(packs.wallMs)} ms); ${fixed(packs.requests)} requests for ${packs.assetCount} files`,
        met: atMost(packs.wallRatio, TARGET_LIMITS.packsRatio, packs),
      });
    }
    const unchanged = find(summaries, peer, "revalidate-manifest-integrity");
    if (unchanged) {
      const { wallRatio, requests } = unchanged;
      checks.push({
        target: `revalidate ${unchanged.assetCount} unchanged manifest entries with integrity: ${TARGET_LIMITS.manifestUnchangedRequests} request, ≤ ${TARGET_LIMITS.manifestRevalidateRatio}× plain fetch revalidation`,
        peer,
        value: `${times(wallRatio)} (${fixed(unchanged.wallMs)} ms); ${fixed(requests)} request(s)`,
        met: wallRatio === null || requests === null || unchanged.outcome !== "ok" ? null : wallRatio <= TARGET_LIMITS.manifestRevalidateRatio && requests === TARGET_LIMITS.manifestUnchangedRequests,
      });
    }
    const changed = find(summaries, peer, "changed-one-manifest-integrity");
    if (changed) {
      checks.push({
        target: `manifest with integrity, changed one of ${changed.assetCount}: ${TARGET_LIMITS.manifestChangedOneRequests} requests`,
        peer,
        value: `${fixed(changed.requests)} requests (${fixed(changed.wallMs)} ms)`,
        met: changed.requests === null || changed.outcome !== "ok" ? null : changed.requests === TARGET_LIMITS.manifestChangedOneRequests,
      });
    }
    return checks;
  });
}

/** The targets table, in its order, each target for the rows of ours it applies to. */
export function evaluateTargets(summaries: readonly Summary[], peers: TargetPeers): TargetCheck[] {
  return [
    ...coldChecks(summaries, peers),
    ...warmChecks(summaries, peers),
    ...revalidateChecks(summaries, peers),
    ...largeChecks(summaries, peers),
    ...gameLoopChecks(summaries, peers),
    ...packChecks(summaries, peers),
  ];
}

export function renderTargets(checks: readonly TargetCheck[], peerLabels: Record<string, string>): string {
  const mark = (met: boolean | null): string => (met === null ? "n/a" : met ? "met" : "not met");
  const lines = ["| target | peer | measured | |", "| --- | --- | --- | --- |"];
  for (const check of checks) lines.push(`| ${check.target} | ${peerLabels[check.peer] ?? check.peer} | ${check.value} | ${mark(check.met)} |`);
  return lines.join("\n");
}
