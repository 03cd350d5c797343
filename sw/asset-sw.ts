/// <reference lib="webworker" />
import { type AssetWorkerOptions, installAssetWorker, type PrecacheEntry, type WorkerBuild } from "./installAssetWorker.js";
import type { InterceptRule } from "./PageRequestRouter.js";

/** An `intercept` rule as JSON can carry it: a RegExp as its source and flags. */
export type BakedInterceptRule = string | { source: string; flags: string };

/** The app's settings of the worker, as the Vite plugin bakes them into the script. */
export type BakedWorkerSettings = Pick<AssetWorkerOptions, "persistentCacheBytes" | "allowedOrigins" | "pkgUrlPrefixes" | "pkgUrlsImmutable" | "pkgIndexUrl"> & { intercept?: BakedInterceptRule[] };

// Replaced by the Vite plugin when it bundles this entry: the app shell of the build (empty in dev),
// an id of the build, the build it serves (null in dev), and the app's settings
// (`simvxAssets({ intercept, worker: { persistentCacheBytes, allowedOrigins } })`).
declare const __SIMVX_PRECACHE__: PrecacheEntry[];
declare const __SIMVX_WORKER_VERSION__: string;
declare const __SIMVX_BUILD__: WorkerBuild | null;
declare const __SIMVX_WORKER_SETTINGS__: BakedWorkerSettings;

const { intercept, ...settings } = __SIMVX_WORKER_SETTINGS__;
const rules: InterceptRule[] = (intercept ?? []).map((rule) => (typeof rule === "string" ? rule : new RegExp(rule.source, rule.flags)));
// With the DOM lib also loaded, `self` is typed as a Window; this file only ever runs as a worker.
installAssetWorker(self as unknown as ServiceWorkerGlobalScope, {
  ...settings,
  intercept: rules,
  precache: __SIMVX_PRECACHE__,
  version: __SIMVX_WORKER_VERSION__,
  ...(__SIMVX_BUILD__ === null ? {} : { build: __SIMVX_BUILD__ }),
});
