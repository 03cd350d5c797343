import { defineConfig } from "@playwright/test";

// The consumer test (consumer.spec.ts), one run in Chromium: `node scripts/test.mjs consumer`.
// eslint-disable-next-line no-restricted-syntax -- Playwright loads a config by its default export.
export default defineConfig({
  testDir: ".",
  testMatch: "consumer.spec.ts",
  outputDir: "../artifacts/results-consumer",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  reporter: [["list"]],
  projects: [{ name: "consumer" }],
});
