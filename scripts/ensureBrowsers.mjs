#!/usr/bin/env node
// Finds the browsers the e2e specs drive, one per engine, and installs what is missing: Debian's
// packages when we are root with apt (our CI and dev machines, where Playwright cannot download
// browsers), else Playwright's own Chromium download; Firefox and WebKit are then the user's to
// install (the README's "Browser engines" says which packages).
// `node scripts/ensureBrowsers.mjs [engine...]` does it from the command line (.ci/run).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";

export const ENGINES = ["chromium", "firefox", "webkit"];

function onPath(command) {
  return (process.env.PATH ?? "").split(delimiter).some((dir) => dir && existsSync(join(dir, command)));
}

async function playwrightChromium() {
  try {
    const { chromium } = await import("playwright-core");
    const path = chromium.executablePath();
    return path && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

/** What each engine needs on this machine: files that must exist, and the Debian packages that provide them. */
const NEEDS = {
  chromium: { files: () => [process.env.SIMVX_CHROMIUM ?? "/usr/bin/chromium"], packages: ["chromium"] },
  firefox: { files: () => [process.env.SIMVX_FIREFOX ?? "/usr/bin/firefox-esr"], packages: ["firefox-esr"] },
  webkit: {
    files: () => [process.env.SIMVX_MINIBROWSER ?? "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser", "WebKitWebDriver", "Xvfb"],
    packages: ["libwebkit2gtk-4.1-0", "webkit2gtk-driver", "xvfb"],
  },
};

/** The files `engine` still lacks (commands are looked up on PATH). */
async function missingFor(engine) {
  const missing = NEEDS[engine].files().filter((file) => (file.includes("/") ? !existsSync(file) : !onPath(file)));
  if (engine === "chromium" && missing.length > 0 && (await playwrightChromium())) return [];
  return missing;
}

function sh(cmd, args) {
  return spawnSync(cmd, args, { stdio: "inherit" }).status === 0;
}

/**
 * Makes sure every engine in `engines` can start, installing what is missing where we can.
 * Resolves with the engines still missing something, each with what it lacks and its packages.
 */
export async function ensureBrowsers(engines = ENGINES) {
  const lacking = [];
  for (const engine of engines) if ((await missingFor(engine)).length > 0) lacking.push(engine);
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (lacking.length > 0 && isRoot && existsSync("/usr/bin/apt-get")) {
    const packages = lacking.flatMap((engine) => NEEDS[engine].packages);
    console.log(`Installing Debian packages for ${lacking.join(", ")}: ${packages.join(" ")} (apt-get)...`);
    if (sh("apt-get", ["update", "-qq"])) sh("apt-get", ["install", "-y", "-qq", ...packages]);
  }
  if ((await missingFor("chromium")).length > 0 && engines.includes("chromium")) {
    console.log("Installing Playwright's Chromium (npx playwright install chromium)...");
    sh("npx", ["playwright", "install", "chromium"]);
  }
  const still = [];
  for (const engine of engines) {
    const missing = await missingFor(engine);
    if (missing.length > 0) still.push({ engine, missing, packages: NEEDS[engine].packages });
  }
  return still;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const asked = process.argv.slice(2);
  const still = await ensureBrowsers(asked.length > 0 ? asked : ENGINES);
  for (const { engine, missing, packages } of still) console.error(`${engine}: missing ${missing.join(", ")} (Debian packages: ${packages.join(" ")})`);
  process.exit(still.length > 0 ? 1 : 0);
}
