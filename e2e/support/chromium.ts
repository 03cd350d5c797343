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
 * one (an `--enable-features` does not win over it), so ours repeats them.
 */
const PLAYWRIGHT_DISABLED_FEATURES = [
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
];

/**
 * Chromium 156's headless mode builds the omnibox popup's WebUI for every new window: a renderer
 * of its own that spent 300 ms of CPU during each benchmark load, beside the page being measured,
 * on a 2-core machine (seen in `npm run bench:cpu -- --trace`). No test uses the omnibox.
 */
const BROWSER_UI_FEATURES = ["WebUIOmniboxPopup", "WebUIOmniboxAimPopup"];

export interface ChromiumLaunchChoices {
  /**
   * Chromium's partitioning of third-party storage as it ships, which Playwright turns off: for
   * the specs that check how a cross-site frame's storage behaves.
   */
  storagePartitioning?: boolean;
}

/** Launch options for every browser our tests and benchmarks start. */
export function chromiumLaunchOptions(extraArgs: string[] = [], choices: ChromiumLaunchChoices = {}): LaunchOptions {
  const executablePath = process.env.SIMVX_CHROMIUM ?? (existsSync(SYSTEM_CHROMIUM) ? SYSTEM_CHROMIUM : undefined);
  const disabled = [...PLAYWRIGHT_DISABLED_FEATURES, ...(choices.storagePartitioning === true ? [] : ["ThirdPartyStoragePartitioning"]), ...BROWSER_UI_FEATURES];
  return {
    ...(executablePath ? { executablePath } : {}),
    // Root (CI, containers) cannot use Chromium's sandbox.
    chromiumSandbox: false,
    args: [...QUIET_FLAGS, `--disable-features=${disabled.join(",")}`, ...extraArgs],
  };
}
