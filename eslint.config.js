import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "dist-demo/", "node_modules/", "e2e/artifacts/", "test-results/", "playwright-report/", "bench/results/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        console: "readonly", process: "readonly", setTimeout: "readonly", clearTimeout: "readonly",
        setInterval: "readonly", clearInterval: "readonly", URL: "readonly", TextDecoder: "readonly",
        TextEncoder: "readonly", AbortController: "readonly", fetch: "readonly", performance: "readonly",
        window: "readonly", document: "readonly", navigator: "readonly", self: "readonly",
      },
    },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-syntax": ["error", { selector: "ExportAllDeclaration", message: "Name every export (no export *)." },
        { selector: "ExportDefaultDeclaration", message: "No default exports." }],
    },
  },
  {
    // CommonJS config files (dependency-cruiser's) export through `module`.
    files: ["*.cjs", ".*.cjs"],
    languageOptions: { sourceType: "commonjs", globals: { module: "readonly", require: "readonly" } },
  },
  {
    // Config files are loaded by their tools, which require a default export.
    files: ["*.config.ts", "*.config.js"],
    rules: { "no-restricted-syntax": "off" },
  },
);
