/// <reference lib="webworker" />
import { type AssetWorkerOptions, installAssetWorker, type PrecacheEntry, type WorkerBuild } from "./installAssetWorker.js";

// Replaced by the Vite plugin when it bundles this entry: the app shell of the build (empty in dev),
// an id of the build, the build it serves (null in dev), and the app's settings
// (`simvxAssets({ worker: { persistentCacheBytes, allowedOrigins } })`).
declare const __SIMVX_PRECACHE__: PrecacheEntry[];
declare const __SIMVX_WORKER_VERSION__: string;
declare const __SIMVX_BUILD__: WorkerBuild | null;
declare const __SIMVX_WORKER_SETTINGS__: Pick<AssetWorkerOptions, "persistentCacheBytes" | "allowedOrigins">;

// With the DOM lib also loaded, `self` is typed as a Window; this file only ever runs as a worker.
installAssetWorker(self as unknown as ServiceWorkerGlobalScope, {
  ...__SIMVX_WORKER_SETTINGS__,
  precache: __SIMVX_PRECACHE__,
  version: __SIMVX_WORKER_VERSION__,
  ...(__SIMVX_BUILD__ === null ? {} : { build: __SIMVX_BUILD__ }),
});
