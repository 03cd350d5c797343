import { readdir, realpath, stat } from "node:fs/promises";
import { isAbsolute, join, relative, resolve, sep } from "node:path";

/** Package names become the host of `pkg://<name>/…`, so they must be valid, lower-case host labels. */
const PACKAGE_NAME = /^[a-z0-9](?:[a-z0-9_-]*[a-z0-9])?$/;

export function assertPackageName(name: string): void {
  if (!PACKAGE_NAME.test(name)) {
    throw new Error(`simvx-assets: package name ${JSON.stringify(name)} must be lower-case letters, digits, "-" or "_" (it is the host of pkg://${name}/…)`);
  }
}

/**
 * Every regular file below `folder`, as sorted `/`-separated paths relative to it. Hidden files and
 * folders (`.DS_Store`, `.git`) are left out, and so are symbolic links: following one could
 * publish a file from outside the package.
 */
export async function listPackageFiles(folder: string): Promise<string[]> {
  const found: string[] = [];
  async function walk(dir: string): Promise<void> {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (entry.name.startsWith(".")) continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile()) found.push(relative(folder, full).split(sep).join("/"));
    }
  }
  const info = await stat(folder).catch(() => null);
  if (!info?.isDirectory()) throw new Error(`simvx-assets: package folder ${folder} does not exist or is not a folder`);
  await walk(folder);
  return found.sort();
}

/**
 * The file on disk for a request path inside a package (`sprites/hero.png`, still URL-encoded), or
 * `null` when the path is malformed, hidden, climbs out (`..`, `%2e%2e`, `\`), or resolves through
 * a symbolic link to somewhere outside the folder, or is not a regular file.
 */
export async function resolvePackageFile(folder: string, encodedPath: string): Promise<string | null> {
  const segments: string[] = [];
  for (const raw of encodedPath.split("/")) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return null;
    }
    if (segment === "" || segment.startsWith(".") || /[\\/\0]/.test(segment)) return null;
    segments.push(segment);
  }
  if (segments.length === 0) return null;
  const root = resolve(folder);
  const candidate = resolve(root, ...segments);
  if (!isInside(root, candidate)) return null;
  try {
    const [realRoot, realCandidate] = await Promise.all([realpath(root), realpath(candidate)]);
    if (!isInside(realRoot, realCandidate)) return null;
    return (await stat(realCandidate)).isFile() ? realCandidate : null;
  } catch {
    return null;
  }
}

function isInside(root: string, candidate: string): boolean {
  const rel = relative(root, candidate);
  return rel !== "" && rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}
