import { fileURLToPath } from "node:url";
import { build, type Plugin } from "vite";

export const PAGES_DIR = fileURLToPath(new URL("./pages/", import.meta.url));

/**
 * Production builds of the peer pages named (folders of bench/pages/) into `outDir`: the pages
 * (with ours' worker emitted at `/asset-sw.js` by our Vite plugin, when ours is built), then the
 * Workbox worker as one classic script at `/workbox-sw.js`. Built, not served by a dev server, so
 * every peer runs minified production code (unless `minify: false`, for readable profiles).
 */
export async function buildPages(outDir: string, pages: readonly string[], oursWorkerPlugin: () => Plugin, options: { minify?: boolean } = {}): Promise<void> {
  await build({
    configFile: false,
    root: PAGES_DIR,
    base: "/",
    logLevel: "warn",
    publicDir: false,
    plugins: pages.includes("ours") ? [oursWorkerPlugin()] : [],
    build: {
      outDir,
      // `/assets/` belongs to the benchmark's generated assets on the origin.
      assetsDir: "_app",
      emptyOutDir: true,
      reportCompressedSize: false,
      chunkSizeWarningLimit: 4096,
      minify: options.minify !== false,
      rolldownOptions: { input: Object.fromEntries(pages.map((name) => [name, `${PAGES_DIR}${name}/index.html`])) },
    },
  });
  if (!pages.includes("workbox")) return;
  await build({
    configFile: false,
    root: PAGES_DIR,
    logLevel: "warn",
    publicDir: false,
    // Workbox's modules test this for their development-only logging and checks.
    define: { "process.env.NODE_ENV": JSON.stringify("production") },
    build: {
      outDir,
      emptyOutDir: false,
      reportCompressedSize: false,
      lib: { entry: `${PAGES_DIR}workbox/sw.ts`, formats: ["iife"], name: "benchWorkboxWorker", fileName: () => "workbox-sw.js" },
    },
  });
}
