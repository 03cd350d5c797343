import { runningBuildLock } from "../engine/buildLocks.js";
import type { PruneRequest } from "../kernel/protocol.js";
import { holdLock } from "./holdLock.js";

/**
 * Holds the running build's shared lock for the page's life, so no worker deletes its files, then
 * asks the active worker to prune: a page of a new build starting is when an old build may have
 * lost its last page. Returns the release (the browser also releases the lock when the page goes).
 */
export function holdRunningBuild(locks: LockManager | null, container: ServiceWorkerContainer | null, indexUrl: string, build: string): () => void {
  let release: (() => void) | null = null;
  let released = false;
  holdLock(locks, runningBuildLock(indexUrl, build), { mode: "shared" }).then(
    (held) => {
      if (released) return held();
      release = held;
      const prune: PruneRequest = { type: "simvx-assets:prune" };
      container?.controller?.postMessage(prune);
    },
    () => undefined,
  );
  return () => {
    released = true;
    release?.();
  };
}
