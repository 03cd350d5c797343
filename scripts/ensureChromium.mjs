// Finds a Chromium for Playwright: Debian's /usr/bin/chromium, else Playwright's own browser.
// On a machine with neither, installs one: Debian's package when we are root with apt (our CI and
// dev machines, where Playwright's browser download is blocked), else Playwright's download.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const SYSTEM_CHROMIUM = "/usr/bin/chromium";

async function playwrightBrowser() {
  try {
    const { chromium } = await import("playwright-core");
    const path = chromium.executablePath();
    return path && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

function sh(cmd, args) {
  return spawnSync(cmd, args, { stdio: "inherit" }).status === 0;
}

export async function findChromium() {
  if (process.env.SIMVX_CHROMIUM && existsSync(process.env.SIMVX_CHROMIUM)) return process.env.SIMVX_CHROMIUM;
  if (existsSync(SYSTEM_CHROMIUM)) return SYSTEM_CHROMIUM;
  return playwrightBrowser();
}

export async function ensureChromium() {
  const found = await findChromium();
  if (found) return found;
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (isRoot && existsSync("/usr/bin/apt-get")) {
    console.log("Installing Debian's chromium (apt-get)...");
    if (sh("apt-get", ["update", "-qq"]) && sh("apt-get", ["install", "-y", "-qq", "chromium"])) return findChromium();
  }
  console.log("Installing Playwright's Chromium (npx playwright install chromium)...");
  sh("npx", ["playwright", "install", "chromium"]);
  return findChromium();
}
