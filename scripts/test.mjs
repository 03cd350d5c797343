#!/usr/bin/env node
// `npm test`: the unit tests (Vitest); the consumer test (the packed library installed into a fresh
// Vite app, in Chromium: e2e/consumer/); then the browser tests once per engine (Playwright Test runs
// the specs, `SIMVX_ENGINE` picks the engine's driver), after finding or installing the browsers.
//   node scripts/test.mjs [unit|consumer|e2e] [--engine chromium|firefox|webkit]... [-- playwright args]
// Playwright arguments go to the browser tests, or to the consumer test when it runs alone.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { ENGINES, ensureBrowsers } from "./ensureBrowsers.mjs";

function parse(argv) {
  const options = { only: null, engines: [], playwrightArgs: [] };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === "unit" || arg === "consumer" || arg === "e2e") options.only = arg;
    else if (arg === "--engine") options.engines.push(...String(argv[++i] ?? "").split(","));
    else if (arg.startsWith("--engine=")) options.engines.push(...arg.slice("--engine=".length).split(","));
    else if (arg === "--") {
      options.playwrightArgs.push(...argv.slice(i + 1));
      break;
    } else options.playwrightArgs.push(arg);
  }
  for (const engine of options.engines) {
    if (!ENGINES.includes(engine)) {
      console.error(`--engine ${engine}: not one of ${ENGINES.join(", ")}`);
      process.exit(2);
    }
  }
  if (options.engines.length === 0) options.engines = [...ENGINES];
  return options;
}

let child = null;
// Ctrl-C or a CI timeout: the running tool gets the signal and ends its browsers; then we go.
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    child?.kill(signal);
    setTimeout(() => process.exit(130), 10_000).unref();
  });
}

function run(cmd, args, env = {}) {
  return new Promise((resolve) => {
    child = spawn(cmd, args, { stdio: "inherit", env: { ...process.env, ...env } });
    child.once("exit", (code, signal) => {
      child = null;
      resolve(code ?? (signal ? 1 : 0));
    });
    child.once("error", (error) => {
      console.error(`${cmd}: ${error.message}`);
      resolve(1);
    });
  });
}

const options = parse(process.argv.slice(2));
const results = [];
const timed = async (name, work) => {
  const started = Date.now();
  const status = await work();
  results.push({ name, status, seconds: Math.round((Date.now() - started) / 1000) });
  return status;
};

const runs = (part) => options.only === null || options.only === part;

if (runs("unit")) await timed("unit (vitest)", () => run("npx", ["vitest", "run"]));
if (runs("consumer") || runs("e2e")) {
  if (!existsSync("node_modules/.bin/playwright")) {
    console.error("node_modules/.bin/playwright is missing: run `npm install` first.");
    process.exit(1);
  }
  const engines = runs("e2e") ? [...options.engines] : [];
  if (runs("consumer") && !engines.includes("chromium")) engines.push("chromium");
  const missing = await ensureBrowsers(engines);
  for (const { engine, missing: files, packages } of missing) {
    console.error(`${engine}: cannot run its browser tests, missing ${files.join(", ")} (Debian packages: ${packages.join(" ")}; see README, "Browser engines")`);
  }
  const lacks = (engine) => missing.some((m) => m.engine === engine);
  if (runs("consumer")) {
    if (lacks("chromium")) results.push({ name: "consumer (packed, in a fresh Vite app)", status: 1, seconds: 0 });
    else {
      console.log("\n=== consumer test: the packed library in a fresh Vite app, in Chromium ===");
      const args = options.only === "consumer" ? options.playwrightArgs : [];
      await timed("consumer (packed, in a fresh Vite app)", () => run("npx", ["playwright", "test", "-c", "e2e/consumer/playwright.config.ts", ...args]));
    }
  }
  if (runs("e2e")) {
    for (const engine of options.engines) {
      if (lacks(engine)) {
        results.push({ name: `e2e ${engine}`, status: 1, seconds: 0 });
        continue;
      }
      console.log(`\n=== browser tests in ${engine} ===`);
      await timed(`e2e ${engine}`, () => run("npx", ["playwright", "test", ...options.playwrightArgs], { SIMVX_ENGINE: engine }));
    }
  }
}

console.log("\n=== summary ===");
for (const { name, status, seconds } of results) console.log(`${status === 0 ? "passed" : "FAILED"}  ${name}  ${seconds} s`);
process.exit(results.some((result) => result.status !== 0) ? 1 : 0);
