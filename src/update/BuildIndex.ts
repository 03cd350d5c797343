import { AssetError } from "../kernel/AssetError.js";
import type { PkgIndex } from "../kernel/PkgIndex.js";
import { isPkgIndex } from "../sources/PkgIndexClient.js";

/** One pkg file of a build. */
export interface BuildFile {
  /** `pkg://<package>/<path>`. */
  uri: string;
  /** Absolute URL of the bytes (content-hashed in a build). */
  href: string;
  /** Lower-case hex SHA-256. */
  sha256: string;
  size: number;
}

/** A pkg index read for updates: the build's id, files and shell, with absolute URLs. */
export interface BuildIndex {
  /** null: an index without a build, as the dev server serves it (no updates in dev). */
  build: string | null;
  /** By `pkg://` uri. */
  files: ReadonlyMap<string, BuildFile>;
  /** The app shell by absolute URL. */
  shell: ReadonlyMap<string, { revision: string; size: number }>;
  /** The index as served: what one tab hands the others. */
  json: PkgIndex;
  /** Its size as served, in bytes. */
  bytes: number;
}

/**
 * Validates a pkg index for updates and resolves its URLs against `indexUrl`. Anything malformed
 * is a PARSE error naming the index: a half-read index must never be taken for a new build.
 */
export function parseBuildIndex(json: unknown, indexUrl: string, bytes: number): BuildIndex {
  const fail = (why: string): AssetError => new AssetError("PARSE", indexUrl, { message: `the pkg:// index ${indexUrl} ${why}` });
  if (!isPkgIndex(json)) throw fail("is not a version 1 index");
  const { build, shell } = json;
  if (build !== undefined && (typeof build !== "string" || !/^[0-9a-zA-Z_-]{1,128}$/.test(build))) throw fail('has a malformed "build"');
  if (shell !== undefined && (!Array.isArray(shell) || !shell.every(isShellFile))) throw fail('has a malformed "shell"');
  const files = new Map<string, BuildFile>();
  const shellFiles = new Map<string, { revision: string; size: number }>();
  try {
    for (const [name, pkg] of Object.entries(json.packages)) {
      for (const [path, file] of Object.entries(pkg.files)) {
        const uri = pkgUri(name, path);
        files.set(uri, { uri, href: new URL(file.url, indexUrl).href, sha256: file.sha256, size: file.size });
      }
    }
    for (const file of shell ?? []) shellFiles.set(new URL(file.url, indexUrl).href, { revision: file.revision, size: file.size });
  } catch (cause) {
    throw new AssetError("PARSE", indexUrl, { cause, message: `the pkg:// index ${indexUrl} lists a file with a malformed URL` });
  }
  return { build: build ?? null, files, shell: shellFiles, json, bytes };
}

/** `pkg://<package>/<path>`, each path segment encoded as a URL would (so `level 1.json` is `level%201.json`). */
export function pkgUri(packageName: string, path: string): string {
  return new URL(`pkg://${packageName}/${path.split("/").map(encodeURIComponent).join("/")}`).href;
}

function isShellFile(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  const { url, revision, size } = value as { url?: unknown; revision?: unknown; size?: unknown };
  return typeof url === "string" && typeof revision === "string" && typeof size === "number" && Number.isFinite(size) && size >= 0;
}
