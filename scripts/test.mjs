#!/usr/bin/env node
// `npm test`: the unit tests (Vitest), then the browser tests once per engine (Playwright Test
// runs the specs, `SIMVX_ENGINE` picks the engine's driver), after finding or installing the browsers.
//   node scripts/test.mjs [unit|e2e] [--engine chromium|firefox|webkit]... [-- playwright args]
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { ENGINES, ensureBrowsers } from "./ensureBrowsers.mjs";

function parse(argv) {
  const options = { only: null, engines: [], playwrightArgs: [] };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === "unit" || arg === "e2e") options.only = arg;
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

if (options.only !== "e2e") await timed("unit (vitest)", () => run("npx", ["vitest", "run"]));
if (options.only !== "unit") {
  if (!existsSync("node_modules/.bin/playwright")) {
    console.error("node_modules/.bin/playwright is missing: run `npm install` first.");
    process.exit(1);
  }
  const missing = await ensureBrowsers(options.engines);
  for (const { engine, missing: files, packages } of missing) {
    console.error(`${engine}: cannot run its browser tests, missing ${files.join(", ")} (Debian packages: ${packages.join(" ")}; see README, "Browser engines")`);
    results.push({ name: `e2e ${engine}`, status: 1, seconds: 0 });
  }
  for (const engine of options.engines.filter((name) => !missing.some((m) => m.engine === name))) {
    console.log(`\n=== browser tests in ${engine} ===`);
    await timed(`e2e ${engine}`, () => run("npx", ["playwright", "test", ...options.playwrightArgs], { SIMVX_ENGINE: engine }));
  }
}

console.log("\n=== summary ===");
for (const { name, status, seconds } of results) console.log(`${status === 0 ? "passed" : "FAILED"}  ${name}  ${seconds} s`);
process.exit(results.some((result) => result.status !== 0) ? 1 : 0);
