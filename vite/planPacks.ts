import type { PackageFile } from "./buildPkgIndex.js";

/** `simvxAssets({ packs })`: files up to `fileBytes` go into packs of at most `packBytes`. */
export interface PackOptions {
  fileBytes: number;
  packBytes: number;
}

export const DEFAULT_PACK_OPTIONS: PackOptions = { fileBytes: 64 * 1024, packBytes: 4 * 2 ** 20 };

/** The files of one pack, in the order their bytes follow each other, and where each starts. */
export interface PackPlan {
  packageName: string;
  files: Array<{ file: PackageFile; offset: number }>;
  size: number;
}

/** The files one manifest lists, by their paths in the manifest's own package (`PackageFile.path`). */
export interface ManifestListing {
  packageName: string;
  manifestPath: string;
  paths: readonly string[];
}

/**
 * Which small files go together. A pack holds files of one package. What a manifest lists is
 * loaded together (`loadManifest`), so those files come first, side by side, in one pack when
 * they fit: manifests in path order, each taking the listed files no earlier manifest took. The
 * rest follow in path order, so a folder's files lie side by side and a `loadFolder` wants one
 * stretch of one pack (a byte range). A pack of one file would only add a request, so there is none.
 */
export function planPacks(files: readonly PackageFile[], options: PackOptions, manifests: readonly ManifestListing[] = []): PackPlan[] {
  const eligible = files.filter((file) => file.size <= options.fileBytes).sort((a, b) => a.packageName.localeCompare(b.packageName) || comparePaths(a.path, b.path));
  const plans: PackPlan[] = [];
  let current: PackPlan | null = null;
  for (const { files: run, together } of runsOf(eligible, manifests)) {
    const size = run.reduce((sum, file) => sum + file.size, 0);
    // A manifest's files start a pack of their own rather than straddle two.
    if (together && current !== null && current.size + size > options.packBytes) current = null;
    for (const file of run) {
      if (current === null || current.packageName !== file.packageName || current.size + file.size > options.packBytes) {
        current = { packageName: file.packageName, files: [], size: 0 };
        plans.push(current);
      }
      current.files.push({ file, offset: current.size });
      current.size += file.size;
    }
  }
  return plans.filter((plan) => plan.files.length > 1);
}

/**
 * `eligible` (sorted by package, then path) cut into runs: per package, each manifest's files not
 * yet taken (`together`), then the package's other files.
 */
function runsOf(eligible: readonly PackageFile[], manifests: readonly ManifestListing[]): Array<{ files: PackageFile[]; together: boolean }> {
  const byPackage = new Map<string, PackageFile[]>();
  for (const file of eligible) {
    const packageFiles = byPackage.get(file.packageName);
    if (packageFiles === undefined) byPackage.set(file.packageName, [file]);
    else packageFiles.push(file);
  }
  const ordered = [...manifests].sort((a, b) => a.packageName.localeCompare(b.packageName) || comparePaths(a.manifestPath, b.manifestPath));
  const runs: Array<{ files: PackageFile[]; together: boolean }> = [];
  for (const [packageName, packageFiles] of byPackage) {
    const taken = new Set<PackageFile>();
    for (const manifest of ordered.filter((listing) => listing.packageName === packageName)) {
      const listed = new Set(manifest.paths);
      // In path order too: a folder the manifest lists whole stays one stretch.
      const own = packageFiles.filter((file) => listed.has(file.path) && !taken.has(file));
      for (const file of own) taken.add(file);
      if (own.length > 0) runs.push({ files: own, together: true });
    }
    runs.push({ files: packageFiles.filter((file) => !taken.has(file)), together: false });
  }
  return runs;
}

/** Folder by folder: `a/b.png` before `a/c/d.png`, so a folder's own files are contiguous. */
function comparePaths(a: string, b: string): number {
  const folder = (path: string) => path.slice(0, path.lastIndexOf("/") + 1);
  return folder(a).localeCompare(folder(b)) || a.localeCompare(b);
}

/** `packs` as the user wrote it, checked: `false` turns packing off. */
export function resolvePackOptions(packs: false | Partial<PackOptions> | undefined): PackOptions | null {
  if (packs === false) return null;
  const fileBytes = packs?.fileBytes ?? DEFAULT_PACK_OPTIONS.fileBytes;
  const packBytes = packs?.packBytes ?? DEFAULT_PACK_OPTIONS.packBytes;
  for (const [name, value] of [["fileBytes", fileBytes], ["packBytes", packBytes]] as const) {
    if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`simvxAssets: packs.${name} must be a positive whole number of bytes, got ${String(value)}`);
  }
  return { fileBytes, packBytes };
}
