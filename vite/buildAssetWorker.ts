import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build, type Rolldown } from "vite";
import type { BakedWorkerSettings } from "../sw/asset-sw.js";
import type { PrecacheEntry, WorkerBuild } from "../sw/installAssetWorker.js";

/** The app's settings of the worker (`simvxAssets({ intercept, worker: {...} })`), baked into its script as JSON. */
export type WorkerSettings = BakedWorkerSettings;

export interface AssetWorkerBuild {
  precache: PrecacheEntry[];
  /** Reported by the worker's `ping`. */
  version: string;
  minify: boolean;
  settings?: WorkerSettings;
  /** The build the worker serves (null in dev, or without a pkg index: no updates then). */
  build: WorkerBuild | null;
}

/** The worker entry, from the sources (this repository, tests) or from the published `dist/`. */
export function assetWorkerEntry(): string {
  const source = fileURLToPath(new URL("../sw/asset-sw.ts", import.meta.url));
  return existsSync(source) ? source : fileURLToPath(new URL("../sw/asset-sw.js", import.meta.url));
}

/** Folders whose files end up in the worker bundle: a change there needs a rebuild. */
export function assetWorkerSourceDirs(): string[] {
  return ["../sw/", "../src/engine/", "../src/kernel/"].map((path) => fileURLToPath(new URL(path, import.meta.url)));
}

/**
 * Bundles the worker into ONE classic script: a service worker registered without
 * `{ type: "module" }` cannot import, and module workers are not supported everywhere.
 */
export async function buildAssetWorker(options: AssetWorkerBuild): Promise<string> {
  const entry = assetWorkerEntry();
  const output = await build({
    configFile: false,
    logLevel: "warn",
    publicDir: false,
    define: {
      __SIMVX_PRECACHE__: JSON.stringify(options.precache),
      __SIMVX_WORKER_VERSION__: JSON.stringify(options.version),
      __SIMVX_WORKER_SETTINGS__: JSON.stringify(options.settings ?? {}),
      __SIMVX_BUILD__: JSON.stringify(options.build),
      // workbox guards its development logging with this; left alone it throws in the worker.
      "process.env.NODE_ENV": JSON.stringify("production"),
    },
    build: {
      write: false,
      emptyOutDir: false,
      copyPublicDir: false,
      reportCompressedSize: false,
      minify: options.minify,
      lib: { entry, formats: ["iife"], name: "simvxAssetWorker", fileName: () => "asset-sw.js" },
    },
  });
  const outputs: Rolldown.RolldownOutput[] = Array.isArray(output) ? output : "output" in output ? [output] : [];
  for (const { output: files } of outputs) {
    for (const file of files) if (file.type === "chunk" && file.isEntry) return file.code;
  }
  throw new Error(`simvx-assets: bundling ${entry} produced no script`);
}
