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

/**
 * Playwright launches Chromium with `--disable-features=` these and `ThirdPartyStoragePartitioning`
 * (playwright-core 1.65.1, `chromiumSwitches`). A later `--disable-features` replaces the earlier
 * one (an `--enable-features` does not win over it), so this one, without partitioning, gives
 * Chromium's partitioning of third-party storage back and keeps the rest of Playwright's list.
 */
export const STORAGE_PARTITIONING_AS_SHIPPED = `--disable-features=${[
  "AvoidUnnecessaryBeforeUnloadCheckSync",
  "DestroyProfileOnBrowserClose",
  "HttpsUpgrades",
  "HttpsFirstBalancedModeAutoEnable",
  "LensOverlay",
  "MediaRouter",
  "PaintHolding",
  "AvoidCorsURLLoaderRestartOnRedirect",
  "TcpPortRandomizationWin",
  "OptimizationHints",
  "NetworkTimeServiceQuerying",
  "AimEnabled",
  "PreconnectToSearch",
  "msForceBrowserSignIn",
  "msEdgeUpdateLaunchServicesPreferredVersion",
].join(",")}`;

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
