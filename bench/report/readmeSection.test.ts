import { describe, expect, it } from "vitest";
import { renderReadmeSection } from "./readmeSection.js";

const machine = {
  cpu: "AMD EPYC",
  cores: 2,
  memoryGiB: 24,
  os: "Linux 6.1",
  node: "20.20.2",
  browser: "Chromium 156",
  loadAverage: { start: 5.04, end: 1.5 },
};

describe("renderReadmeSection", () => {
  it("says what ran where, how to reproduce it, and shows the chart, tables and targets", () => {
    const section = renderReadmeSection({
      machine,
      command: "npm run bench",
      date: "2026-11-26",
      reps: 3,
      concurrency: 6,
      gameWorkMs: 4,
      durationMs: 9.6 * 60_000,
      assets: { smallCount: 1000, smallBytes: 4096, largeCount: 8, largeBytes: 8 * 2 ** 20, imageCount: 1000 },
      table: "| main table |",
      extras: "| extras table |",
      targets: "| targets table |",
      chartPath: "bench/results/latest.svg",
    });
    expect(section).toMatch(/^## Benchmark\n/);
    expect(section).toContain("AMD EPYC, 2 cores, 24 GiB RAM, Linux 6.1, Node 20.20.2, Chromium 156");
    expect(section).toContain("load average 5.0 at the start and 1.5 at the end");
    expect(section).toContain("10 min in all");
    expect(section).toContain("Reproduce with `npm run bench`.");
    expect(section).toContain("1000 JSON files of 4 KiB; 8 binary files of 8 MiB");
    expect(section).toContain("3 repetitions each");
    expect(section).toContain("Plain fetch (the baseline of every ratio) and the Workbox pages start every request at once with `Promise.all(");
    expect(section).toContain("*plain fetch, pool of 6* keeps 6 in flight; ours runs with its defaults");
    expect(section).toContain("The chart of these figures, wall time relative to plain fetch, is `bench/results/latest.svg` in the repository");
    expect(section).not.toMatch(/\]\(/);
    expect(section).toContain("*cold many-small, HTTP/2* loads the same files from a second loopback origin that speaks only HTTP/2 over TLS");
    for (const table of ["| main table |", "| extras table |", "| targets table |"]) expect(section).toContain(table);
  });
});
