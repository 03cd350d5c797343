import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RUN_STATE_VARIABLE } from "./launchFailures.js";

/** Playwright's global setup: a folder the run's workers share (see `launchFailures.ts`), removed at the end. */
// eslint-disable-next-line no-restricted-syntax -- Playwright loads a global setup by its default export.
export default function globalSetup(): () => void {
  const folder = mkdtempSync(join(tmpdir(), "simvx-e2e-run-"));
  process.env[RUN_STATE_VARIABLE] = folder;
  return () => rmSync(folder, { recursive: true, force: true });
}
