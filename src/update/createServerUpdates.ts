import { pkgIndexUrlOf } from "../sources/PkgIndexClient.js";
import { noUpdates, type ServerUpdates, type UpdatesHost } from "../core/ServerUpdates.js";
import { fetchBuildIndex } from "./fetchBuildIndex.js";
import { holdRunningBuild } from "./holdRunningBuild.js";
import { openUpdateChannel } from "./UpdateChannel.js";
import { UPDATE_SCHEME, UpdateApplier } from "./UpdateApplier.js";
import { DEFAULT_UPDATE_CHECK_MS, UpdateWatcher } from "./UpdateWatcher.js";
import { WorkerSwitch } from "./WorkerSwitch.js";

/** Query that takes a check past the worker, whose precache answers the index's own URL. */
const CHECK_QUERY = ["simvx-assets", "update-check"] as const;

/**
 * Updates for a browser app built with the Vite plugin (its `<meta name="simvx-assets-base">`, or
 * an explicit `pkgIndexUrl`, says there is a pkg index). Anywhere else (Node, an app without the
 * plugin) there are none: `check()` resolves null and `apply()` gives an empty batch. The dev
 * server's index has no build id, so there are none in dev either (found by the first check).
 */
export function createServerUpdates(host: UpdatesHost, appBase: string | null): ServerUpdates {
  const indexUrl = host.backend !== null && (host.pkgIndexUrl !== undefined || appBase !== null) ? indexUrlOrNull(host.pkgIndexUrl, appBase ?? document.baseURI) : null;
  if (indexUrl === null || host.backend === null) return noUpdates(host);
  const container = typeof navigator !== "undefined" && "serviceWorker" in navigator ? navigator.serviceWorker : null;
  const locks = (globalThis.navigator as (Navigator & { locks?: LockManager }) | undefined)?.locks ?? null;
  const checkUrl = new URL(indexUrl);
  checkUrl.searchParams.set(...CHECK_QUERY);
  const watcher = new UpdateWatcher({
    indexUrl,
    clock: host.clock,
    checkEveryMs: typeof host.updateCheckMs === "number" && host.updateCheckMs >= 0 ? host.updateCheckMs : DEFAULT_UPDATE_CHECK_MS,
    // The running build: as the page gets it (from the worker's precache, when it controls the
    // page). The latest: a URL no precache holds, revalidated by the HTTP cache (its ETag).
    fetchIndex: (which, signal) =>
      fetchBuildIndex(which === "running" ? indexUrl : checkUrl.href, indexUrl, { cache: which === "running" ? "default" : "no-cache", signal }, (url, init) => fetch(url, init), () => navigator.onLine === false),
    deliver: host.deliver,
    onVisible: (listener) => {
      const onChange = (): void => {
        if (document.visibilityState === "visible") listener();
      };
      document.addEventListener("visibilitychange", onChange);
      return () => document.removeEventListener("visibilitychange", onChange);
    },
    openChannel: (listener) => openUpdateChannel(indexUrl, listener),
    holdRunning: (build) => holdRunningBuild(locks, container, indexUrl, build),
  });
  if (host.onError) watcher.available.onError = watcher.ready.onError = host.onError;
  const applier = new UpdateApplier({
    indexUrl,
    target: () => watcher.target(),
    applied: (latest) => watcher.applied(latest),
    backend: host.backend,
    switcher: new WorkerSwitch(container, host.clock, indexUrl),
    locks,
    loadManifest: host.loadManifest,
  });
  host.registerSource(UPDATE_SCHEME, applier);
  watcher.start();
  return { available: watcher.available, ready: watcher.ready, check: () => watcher.check(), apply: () => applier.apply(), dispose: () => watcher.dispose() };
}

function indexUrlOrNull(pkgIndexUrl: string | undefined, base: string): string | null {
  try {
    return pkgIndexUrlOf(pkgIndexUrl, base);
  } catch {
    return null;
  }
}
