import { describe, expect, it } from "vitest";
import type { Summary } from "./aggregate.js";
import { renderExtrasTable, renderTable } from "./table.js";

function summary(overrides: Partial<Summary>): Summary {
  return {
    peer: "ours-sw",
    scenario: "cold-many-small",
    reps: 3,
    assetCount: 1000,
    outcome: "ok",
    failed: 0,
    wallMs: 812.4,
    wallRatio: 1.034,
    requests: 1000,
    notModified: 0,
    bodyBytes: 4096000,
    longTaskMs: 57.2,
    worstFrameMs: 33.3,
    framesOver33: 0,
    idleWorstFrameMs: null,
    idleFramesOver33: null,
    peakHeapBytes: 12 * 2 ** 20,
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

describe("renderTable", () => {
  it("renders one Markdown row per summary with labels, medians and ratio", () => {
    const table = renderTable([summary({})], { "ours-sw": "ours (Service Worker)" });
    const lines = table.split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^\| scenario \| peer \| wall ms \| vs fetch \|/);
    expect(lines[2]).toBe("| cold many-small, HTTP/1.1 | ours (Service Worker) | 812 | 1.03× | 1000 | 0 | 4000 | 57 | 33.3 | 0 | 12.0 | ok |");
  });

  it("shows a dash for a missing figure and says why a peer did not pass", () => {
    const rows = renderTable(
      [
        summary({ wallMs: null, wallRatio: null, outcome: "error", errors: ["page crashed | twice"] }),
        summary({ outcome: "failed", failed: 1000 }),
        summary({ outcome: "stale" }),
      ],
      {},
    ).split("\n");
    expect(rows[2]).toContain("| – | – |");
    expect(rows[2]).toContain("error: page crashed \\| twice");
    expect(rows[3]).toMatch(/\| 1000 failed \|$/);
    expect(rows[4]).toMatch(/\| stale content \|$/);
  });
});

describe("renderExtrasTable", () => {
  it("lists throughput share, idle jank and flush percentiles per peer", () => {
    const table = renderExtrasTable(
      [
        summary({ scenario: "cold-few-large", throughputBytesPerSec: 300 * 2 ** 20, throughputShare: 0.954 }),
        summary({ scenario: "game-loop", idleWorstFrameMs: 16.7, idleFramesOver33: 0, flushP50Ms: 0.1234, flushP99Ms: 1.5, flushMaxFinished: 12 }),
        summary({ scenario: "warm", flushP50Ms: 2, flushP99Ms: 9.25, flushMaxFinished: 640 }),
        { ...summary({}), peer: "plain-fetch" },
      ],
      { "ours-sw": "ours", "plain-fetch": "plain fetch" },
    );
    const rows = table.split("\n");
    expect(rows[2]).toBe("| ours | 300 | 95% | 16.7 | 0 | 0.12 / 1.50 | 2.00 / 9.25 | 640 |");
    expect(rows[3]).toBe("| plain fetch | – | – | – | – | – | – | – |");
  });
});
