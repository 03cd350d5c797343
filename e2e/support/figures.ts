import { test } from "@playwright/test";

/** Records what a test saw (loads, faults, counts) on its report and in the log, for the humans reading the run. */
export function recordFigures(figures: Record<string, unknown>): void {
  const text = JSON.stringify(figures);
  test.info().annotations.push({ type: "figures", description: text });
  console.log(`[figures] ${test.info().title}: ${text}`);
}
