/// <reference lib="webworker" />
import { installAssetWorker, type PrecacheEntry, type WorkerBuild } from "./installAssetWorker.js";

// Replaced by the Vite plugin when it bundles this entry: the app shell of the build (empty in dev)
// and an id of the build; the build it serves (null in dev).
declare const __SIMVX_PRECACHE__: PrecacheEntry[];
declare const __SIMVX_WORKER_VERSION__: string;
declare const __SIMVX_BUILD__: WorkerBuild | null;

// With the DOM lib also loaded, `self` is typed as a Window; this file only ever runs as a worker.
installAssetWorker(self as unknown as ServiceWorkerGlobalScope, {
  precache: __SIMVX_PRECACHE__,
  version: __SIMVX_WORKER_VERSION__,
  ...(__SIMVX_BUILD__ === null ? {} : { build: __SIMVX_BUILD__ }),
});
