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

/**
 * Which small files go together. A pack holds files of one package in path order, so a folder's
 * files lie side by side and a `loadFolder` wants one stretch of one pack (a byte range); a pack
 * of one file would only add a request, so there is none.
 */
export function planPacks(files: readonly PackageFile[], options: PackOptions): PackPlan[] {
  const eligible = files.filter((file) => file.size <= options.fileBytes).sort((a, b) => a.packageName.localeCompare(b.packageName) || comparePaths(a.path, b.path));
  const plans: PackPlan[] = [];
  let current: PackPlan | null = null;
  for (const file of eligible) {
    if (current === null || current.packageName !== file.packageName || current.size + file.size > options.packBytes) {
      current = { packageName: file.packageName, files: [], size: 0 };
      plans.push(current);
    }
    current.files.push({ file, offset: current.size });
    current.size += file.size;
  }
  return plans.filter((plan) => plan.files.length > 1);
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
