import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { join, posix } from "node:path";
import type { PkgIndex, PkgIndexFile } from "../src/kernel/PkgIndex.js";
import { assertPackageName, listPackageFiles } from "./packageFiles.js";

/** One file of one package, as read from disk. */
export interface PackageFile {
  packageName: string;
  /** `/`-separated, relative to the package folder. */
  path: string;
  absolutePath: string;
  size: number;
  /** Lower-case hex. */
  sha256: string;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/**
 * Remembers each file's hash by (size, mtime), so refreshing the dev index after one file changed
 * re-reads that file only.
 */
export class HashCache {
  private readonly entries = new Map<string, { size: number; mtimeMs: number; sha256: string }>();

  async hashOf(absolutePath: string): Promise<{ size: number; sha256: string }> {
    const info = await stat(absolutePath);
    const known = this.entries.get(absolutePath);
    if (known && known.size === info.size && known.mtimeMs === info.mtimeMs) return known;
    const sha256 = sha256Hex(await readFile(absolutePath));
    this.entries.set(absolutePath, { size: info.size, mtimeMs: info.mtimeMs, sha256 });
    return { size: info.size, sha256 };
  }
}

/** Lists and hashes every file of every package (`name → absolute folder`). */
export async function readPackages(packages: Record<string, string>, hashes = new HashCache()): Promise<PackageFile[]> {
  const all: PackageFile[] = [];
  for (const [packageName, folder] of Object.entries(packages)) {
    assertPackageName(packageName);
    for (const path of await listPackageFiles(folder)) {
      const absolutePath = join(folder, ...path.split("/"));
      const { size, sha256 } = await hashes.hashOf(absolutePath);
      all.push({ packageName, path, absolutePath, size, sha256 });
    }
  }
  return all;
}

/** Builds the index that PkgSource reads: every package (even an empty one) with its files. */
export function buildPkgIndex(packageNames: readonly string[], files: readonly PackageFile[], entryOf: (file: PackageFile) => Pick<PkgIndexFile, "url" | "immutable" | "pack">): PkgIndex {
  const index: PkgIndex = { version: 1, packages: {} };
  for (const name of packageNames) index.packages[name] = { files: {} };
  for (const file of files) {
    const entry = entryOf(file);
    index.packages[file.packageName]!.files[file.path] = { url: entry.url, size: file.size, sha256: file.sha256, immutable: entry.immutable, ...(entry.pack === undefined ? {} : { pack: entry.pack }) };
  }
  return index;
}

/** `sprites/hero.png` → `sprites/hero-3f2a9c01b7.png`: the name changes whenever the bytes do. */
export function contentHashedPath(path: string, sha256: string): string {
  const slash = path.lastIndexOf("/");
  const dot = path.lastIndexOf(".");
  const hash = sha256.slice(0, 10);
  return dot > slash + 1 ? `${path.slice(0, dot)}-${hash}${path.slice(dot)}` : `${path}-${hash}`;
}

/** Encodes each segment of a `/`-separated path for use in a URL. */
export function encodePath(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

/** The URL of `targetFile` relative to `fromFile` (both output paths), so a build works under any base. */
export function relativeUrl(fromFile: string, targetFile: string): string {
  const rel = posix.relative(posix.dirname(fromFile), targetFile);
  return encodePath(rel.startsWith(".") ? rel : `./${rel}`);
}
