// Web Lock names that pages and workers share for updates after a deploy. Locks are per origin, so
// each name carries the app's pkg index URL: two apps on one origin (two sub-paths) never meet.

const RUNNING = "simvx-assets:running-build:";

/**
 * Held in shared mode by every page for as long as it runs `build`: a worker pruning the store
 * keeps the files of every build some page still runs. The browser releases it when the page goes.
 */
export function runningBuildLock(indexUrl: string, build: string): string {
  return `${RUNNING}${indexUrl}#${build}`;
}

/**
 * Held while a page or an installing worker downloads a build's pkg files into the store, so two
 * of them never download the same files at once: the second finds them stored.
 */
export function buildDownloadLock(indexUrl: string): string {
  return `simvx-assets:build-download:${indexUrl}`;
}

/** The builds some page of the app at `indexUrl` runs, from the names of the locks held now. */
export function runningBuildsIn(lockNames: Iterable<string | undefined>, indexUrl: string): Set<string> {
  const prefix = `${RUNNING}${indexUrl}#`;
  const builds = new Set<string>();
  for (const name of lockNames) if (name?.startsWith(prefix)) builds.add(name.slice(prefix.length));
  return builds;
}

/** Held by a page for the whole of an `applyUpdate()`: the tabs of an app apply one at a time. */
export function buildApplyLock(indexUrl: string): string {
  return `simvx-assets:build-apply:${indexUrl}`;
}
