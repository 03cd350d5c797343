import { buildDownloadLock } from "../src/engine/buildLocks.js";
import type { FetchEngine } from "../src/engine/FetchEngine.js";
import type { PersistentStore } from "../src/engine/PersistentStore.js";
import { integrityFromSha256Hex } from "../src/kernel/verifyIntegrity.js";
import type { BuildRecords } from "./BuildRecords.js";

/** One pkg file of a build, as the worker needs it. */
export interface BuildFile {
  /** Absolute URL (content-hashed in a build): the store's key. */
  url: string;
  sha256: string;
}

export interface CompleteBuildDeps {
  build: string;
  indexUrl: string;
  /** The build's pkg index, as precached with its shell. */
  index: unknown;
  /** The build's shell in the precache: `[url, cache key]` pairs. */
  shell: Array<[string, string]>;
  records: Pick<BuildRecords, "put">;
  store: Pick<PersistentStore, "getMetas">;
  engine: () => Pick<FetchEngine, "request" | "flush">;
  locks: Pick<LockManager, "request"> | null;
  /**
   * An update (a worker of an older build is active): download what the store lacks. A first
   * install leaves that to the page, which loads what it uses (downloading the whole game in the
   * install would fetch every file twice while the page loads it too).
   */
  updating: boolean;
  now: () => number;
}

/**
 * Run in a build's install, after the shell is precached: records the build, and on an update
 * makes it complete, every pkg file in the store, so whenever this worker takes over (at
 * `applyUpdate`, or once every tab is closed) the new build starts offline. After `applyUpdate`
 * the page has stored them already and this costs one read of the store. A file that cannot be
 * fetched fails the install: the browser then keeps the old worker and tries again later.
 */
export async function completeBuild(deps: CompleteBuildDeps): Promise<{ downloaded: number }> {
  const files = pkgFilesOf(deps.index, deps.indexUrl);
  // Recorded before downloading: if the install fails, the next prune finds what it stored.
  await deps.records.put({ key: `${deps.indexUrl}#${deps.build}`, indexUrl: deps.indexUrl, build: deps.build, files: files.map((file) => file.url), shell: deps.shell, storedAt: deps.now() });
  if (!deps.updating || files.length === 0) return { downloaded: 0 };
  const download = async (): Promise<{ downloaded: number }> => {
    const metas = await deps.store.getMetas(files.map((file) => file.url));
    const missing = files.filter((file, i) => metas[i]?.integrity !== integrityFromSha256Hex(file.sha256));
    const signal = new AbortController().signal;
    const results = await Promise.all(
      missing.map((file) =>
        deps.engine().request(
          { url: file.url, knownVersion: null, cache: true, revalidate: "conditional-get", integrity: integrityFromSha256Hex(file.sha256), immutable: true, priority: -1 },
          { signal, onProgress: () => undefined },
        ),
      ),
    );
    const failed = results.find((result) => !result.ok);
    if (failed && !failed.ok) throw new Error(`simvx-assets: the build's file ${failed.error.uri} could not be stored: ${failed.error.message}`);
    await deps.engine().flush();
    return { downloaded: missing.length };
  };
  // The page's applyUpdate holds this lock while it downloads: waiting for it means finding its files stored.
  return deps.locks === null ? download() : deps.locks.request(buildDownloadLock(deps.indexUrl), download);
}

/** The pkg files an index lists, with absolute URLs; a malformed entry is skipped (the page refuses such an index anyway). */
export function pkgFilesOf(index: unknown, indexUrl: string): BuildFile[] {
  const packages = typeof index === "object" && index !== null ? (index as { packages?: unknown }).packages : undefined;
  if (typeof packages !== "object" || packages === null) throw new Error("simvx-assets: the precached pkg index has no packages");
  const files: BuildFile[] = [];
  for (const pkg of Object.values(packages as Record<string, unknown>)) {
    const entries = typeof pkg === "object" && pkg !== null ? (pkg as { files?: unknown }).files : undefined;
    if (typeof entries !== "object" || entries === null) continue;
    for (const entry of Object.values(entries as Record<string, unknown>)) {
      const { url, sha256 } = (entry ?? {}) as { url?: unknown; sha256?: unknown };
      if (typeof url !== "string" || typeof sha256 !== "string" || !/^[0-9a-f]{64}$/.test(sha256)) continue;
      try {
        files.push({ url: new URL(url, indexUrl).href, sha256 });
      } catch {
        // Not a URL: no file of ours.
      }
    }
  }
  return files;
}
