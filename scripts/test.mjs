#!/usr/bin/env node
// `npm test`: find (or install) a Chromium, then run the unit tests and the browser tests.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { ensureChromium } from "./ensureChromium.mjs";

function run(cmd, args) {
  const result = spawnSync(cmd, args, { stdio: "inherit", shell: false });
  return result.status ?? 1;
}

const only = process.argv[2]; // "unit" | "e2e" | undefined
let status = 0;
if (only !== "e2e") status ||= run("npx", ["vitest", "run"]);
if (only !== "unit") {
  const chromium = await ensureChromium();
  if (!chromium) {
    console.error("No Chromium found or installable: browser tests cannot run. See README, 'Tests'.");
    process.exit(1);
  }
  if (!existsSync("node_modules/.bin/playwright")) {
    console.error("node_modules/.bin/playwright is missing: run `npm install` first.");
    process.exit(1);
  }
  status ||= run("npx", ["playwright", "test"]);
}
process.exit(status);
