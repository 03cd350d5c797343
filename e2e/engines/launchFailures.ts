import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { EngineName } from "./EngineName.js";
import type { LaunchOptions } from "./TestPage.js";

/**
 * Set by the run's global setup (`e2e/engines/globalSetup.ts`): a folder shared by its test
 * workers. Playwright starts a new worker after each failed test, so a browser that cannot start
 * is remembered here, and every later test of the run fails at once with the same error.
 */
const RUN_STATE = "SIMVX_E2E_RUN_STATE";

/**
 * Which browser of `engine` the options ask for: only Firefox needs one of its own to stop
 * workers quickly, and only Chromium one to partition storage as it ships.
 */
export function launchKey(engine: EngineName, options: LaunchOptions): string {
  if (engine === "firefox" && options.quickWorkerStops) return "quick-worker-stops";
  if (engine === "chromium" && options.storagePartitioning) return "storage-partitioning";
  return "default";
}

function fileFor(engine: EngineName, options: LaunchOptions): string | null {
  const folder = process.env[RUN_STATE];
  const key = launchKey(engine, options);
  return folder ? join(folder, `${engine}${key === "default" ? "" : `-${key}`}-launch-failed.txt`) : null;
}

export function rememberLaunchFailure(engine: EngineName, options: LaunchOptions, error: unknown): void {
  const file = fileFor(engine, options);
  if (file) writeFileSync(file, error instanceof Error ? error.message : String(error));
}

/** The error of an earlier launch of this engine in this run, if it failed. */
export function earlierLaunchFailure(engine: EngineName, options: LaunchOptions): Error | null {
  const file = fileFor(engine, options);
  return file && existsSync(file) ? new Error(`${readFileSync(file, "utf8")}\n(remembered from an earlier test of this run)`) : null;
}

export const RUN_STATE_VARIABLE = RUN_STATE;
