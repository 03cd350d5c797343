import { runningBuildsIn } from "../src/engine/buildLocks.js";
import type { BuildRecord, BuildRecords } from "./BuildRecords.js";

export interface PruneDeps {
  /** The app's pkg index URL (absolute): its records and its pages' locks carry it. */
  indexUrl: string;
  /** The build of the worker that prunes. */
  ownBuild: string;
  records: Pick<BuildRecords, "list" | "delete">;
  /** The worker's `navigator.locks`; without it no page can be seen, so nothing is deleted. */
  locks: Pick<LockManager, "query"> | null;
  /** Deletes these URLs from the fetch engine's store. */
  dropFiles(urls: readonly string[]): Promise<void>;
  /** Deletes cached shell files that this build and `keep` (cache keys) do not list. */
  pruneShell(keep: ReadonlySet<string>): Promise<number>;
}

export interface PruneReport {
  kept: string[];
  dropped: string[];
  /** Store entries deleted. */
  files: number;
  /** Cached shell files deleted. */
  shellFiles: number;
}

/**
 * Deletes what only unused builds reference: their pkg files in the store, their shell files in
 * the precache, their records. A build is kept while it is the worker's own, while a page runs it
 * (its shared lock is held), or when it was installed after the worker's own (a worker waiting to
 * take over, whose files `applyUpdate` or its install just stored). A file two builds share (an
 * unchanged one keeps its content-hashed URL) stays as long as one of them is kept.
 */
export async function pruneBuilds(deps: PruneDeps): Promise<PruneReport | null> {
  if (deps.locks === null) return null;
  const [records, held] = await Promise.all([deps.records.list(deps.indexUrl), deps.locks.query().then((snapshot) => snapshot.held ?? [])]);
  const running = runningBuildsIn(held.map((lock) => lock.name), deps.indexUrl);
  const own = records.find((record) => record.build === deps.ownBuild);
  const isKept = (record: BuildRecord): boolean =>
    record.build === deps.ownBuild || running.has(record.build) || (own !== undefined && record.storedAt > own.storedAt);
  const kept = records.filter(isKept);
  const dropped = records.filter((record) => !isKept(record));
  const keptFiles = new Set(kept.flatMap((record) => record.files));
  const unused = [...new Set(dropped.flatMap((record) => record.files))].filter((url) => !keptFiles.has(url));
  await deps.dropFiles(unused);
  await deps.records.delete(dropped.map((record) => record.key));
  const shellFiles = await deps.pruneShell(new Set(kept.flatMap((record) => record.shell.map(([, cacheKey]) => cacheKey))));
  return { kept: kept.map((record) => record.build), dropped: dropped.map((record) => record.build), files: unused.length, shellFiles };
}
