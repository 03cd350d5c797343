import { describe, expect, it } from "vitest";
import { throttleProgress } from "./progressThrottle.js";

function recorder(): { reports: Array<[number, number | null]>; report: (loaded: number, total: number | null) => void } {
  const reports: Array<[number, number | null]> = [];
  return { reports, report: (loaded, total) => reports.push([loaded, total]) };
}

describe("throttleProgress", () => {
  it("reports at most once per 1% when time stands still, and always the end", () => {
    const { reports, report } = recorder();
    const progress = throttleProgress(report, () => 0);
    for (let loaded = 0; loaded <= 10_000; loaded += 7) progress(loaded, 10_000);
    progress.finish(10_000, 10_000);
    expect(reports.length).toBeLessThanOrEqual(102);
    expect(reports.length).toBeGreaterThan(50);
    expect(reports.at(-1)).toEqual([10_000, 10_000]);
  });

  it("reports an unknown-size load when enough time has passed", () => {
    const { reports, report } = recorder();
    let now = 0;
    const progress = throttleProgress(report, () => now);
    for (let loaded = 1; loaded <= 100; loaded++) {
      now += 10;
      progress(loaded, null);
    }
    // One report per 50 ms of the 1000 ms, plus the first.
    expect(reports.length).toBeGreaterThanOrEqual(19);
    expect(reports.length).toBeLessThanOrEqual(21);
  });

  it("never goes backwards when a retry restarts from zero", () => {
    const { reports, report } = recorder();
    let now = 0;
    const progress = throttleProgress(report, () => (now += 100));
    progress(500, 1000);
    progress(0, 1000);
    progress(300, 1000);
    progress(700, 1000);
    progress.finish(1000, 1000);
    expect(reports).toEqual([[500, 1000], [700, 1000], [1000, 1000]]);
  });

  it("does not repeat a final report already sent", () => {
    const { reports, report } = recorder();
    const progress = throttleProgress(report, () => 0);
    progress(1000, 1000);
    progress.finish(1000, 1000);
    expect(reports).toEqual([[1000, 1000]]);
  });
});
