import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "sw/**/*.test.ts", "vite/**/*.test.ts", "bench/**/*.test.ts", "demo/**/*.test.ts"],
    environment: "node",
    testTimeout: 20_000,
  },
});
