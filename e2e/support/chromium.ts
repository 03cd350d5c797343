import { existsSync } from "node:fs";
import type { LaunchOptions } from "playwright-core";

/** Debian's Chromium where it is installed (Playwright cannot download browsers on our machines). */
export const SYSTEM_CHROMIUM = "/usr/bin/chromium";

// Without these, Chromium dials out at start-up; on a closed network that means many refused
// connections and slow first pages.
const QUIET_FLAGS = [
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  "--disable-sync",
  "--disable-quic",
];

/** Launch options for every browser our tests and benchmarks start. */
export function chromiumLaunchOptions(extraArgs: string[] = []): LaunchOptions {
  const executablePath = process.env.SIMVX_CHROMIUM ?? (existsSync(SYSTEM_CHROMIUM) ? SYSTEM_CHROMIUM : undefined);
  return {
    ...(executablePath ? { executablePath } : {}),
    // Root (CI, containers) cannot use Chromium's sandbox.
    chromiumSandbox: false,
    args: [...QUIET_FLAGS, ...extraArgs],
  };
}
