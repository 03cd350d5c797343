import { defineConfig } from "@playwright/test";
import { currentEngine } from "./e2e/engines/EngineName.js";

// One run per engine (`SIMVX_ENGINE`, set by scripts/test.mjs): specs register, as they load, only
// the tests the engine's driver can run. Each spec starts the servers it needs on 127.0.0.1.
const engine = currentEngine();

export default defineConfig({
  testDir: "e2e",
  testMatch: "**/*.spec.ts",
  // The consumer test has its own run, in one engine (e2e/consumer/playwright.config.ts).
  testIgnore: "consumer/**",
  globalSetup: "./e2e/engines/globalSetup.ts",
  outputDir: `e2e/artifacts/results-${engine}`,
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  reporter: [["list"]],
  projects: [{ name: engine }],
});
