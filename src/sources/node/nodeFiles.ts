// The Node file-system side of NodeFileSource and NodePkgSource, written once. Only the Node entry
// (src/index.node.ts) reaches this folder, so a page bundle never holds it.
import type { Stats } from "node:fs";
import * as fs from "node:fs/promises";
import * as paths from "node:path";
import { fileURLToPath } from "node:url";
import { AssetError } from "../../kernel/AssetError.js";
import { throwIfCancelled } from "../../kernel/abort.js";
import type { ReadContext, ReadResult } from "../Source.js";

/** `file:` URL → path on disk, or INVALID_URI (a remote host, an encoded `/`). */
export async function filePathOf(uri: string): Promise<string> {
  try {
    return fileURLToPath(uri);
  } catch (cause) {
    throw new AssetError("INVALID_URI", uri, { cause, message: `not a local file uri: ${uri}: ${(cause as Error).message}` });
  }
}

/**
 * Reads the file at `path`. Version: `mtimeMs-size`; when it equals `ctx.knownVersion` the file is
 * only stat'ed. With `confineTo`, the real path (symlinks resolved) must stay inside that folder.
 */
export async function readLocalFile(path: string, uri: string, ctx: ReadContext, confineTo?: string): Promise<ReadResult> {
  throwIfCancelled(ctx.signal, uri);
  const target = confineTo === undefined ? path : await confinedRealPath(path, confineTo, uri);
  const stats = await fs.stat(target).catch((error: unknown) => rethrow(error, uri));
  if (stats.isDirectory()) throw new AssetError("INVALID_URI", uri, { message: `${uri} is a folder, not a file (use loadFolder)` });
  // A FIFO or device would block or never end: only regular files are assets.
  if (!stats.isFile()) throw new AssetError("INVALID_URI", uri, { message: `${uri} is not a regular file` });
  const version = versionOf(stats);
  if (ctx.knownVersion === version) return { notModified: true, version };
  if (ctx.maxBytes !== undefined && stats.size > ctx.maxBytes) {
    throw new AssetError("TOO_LARGE", uri, { message: `${uri} is ${stats.size} bytes, over the ${ctx.maxBytes}-byte limit` });
  }
  ctx.onProgress(0, stats.size);
  const buffer = await fs.readFile(target, { signal: ctx.signal }).catch((error: unknown) => rethrow(error, uri));
  ctx.onProgress(buffer.byteLength, buffer.byteLength);
  return { bytes: new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength), version };
}

/**
 * The files below the folder at `path` as `/`-separated paths relative to it, sorted. Symlinks are
 * followed, each real folder walked once so a link loop ends; with `confineTo`, links whose target
 * leaves that folder are left out.
 */
export async function listLocalFolder(path: string, uri: string, recursive: boolean, confineTo?: string): Promise<string[]> {
  const folder = confineTo === undefined ? path : await confinedRealPath(path, confineTo, uri);
  const stats = await fs.stat(folder).catch((error: unknown) => rethrow(error, uri));
  if (!stats.isDirectory()) throw new AssetError("INVALID_URI", uri, { message: `${uri} is not a folder` });
  const root = confineTo === undefined ? undefined : await fs.realpath(confineTo);
  const visited = new Set<string>();
  const found: string[] = [];

  const walk = async (dir: string, prefix: string): Promise<void> => {
    const real = await fs.realpath(dir);
    if (visited.has(real)) return;
    visited.add(real);
    const entries = await fs.readdir(dir, { withFileTypes: true }).catch((error: unknown) => rethrow(error, uri));
    for (const entry of entries) {
      const full = paths.join(dir, entry.name);
      const kind = entry.isSymbolicLink() ? await linkTargetKind(full, root, paths.sep) : entry;
      if (kind === null) continue;
      if (kind.isFile()) found.push(prefix + entry.name);
      else if (kind.isDirectory() && recursive) await walk(full, `${prefix}${entry.name}/`);
    }
  };
  await walk(folder, "");
  return found.sort();
}

/** What a symlink points at, or null when it is dangling or leaves `root`. */
async function linkTargetKind(link: string, root: string | undefined, sep: string): Promise<Stats | null> {
  try {
    const real = await fs.realpath(link);
    if (root !== undefined && !isInside(real, root, sep)) return null;
    return await fs.stat(real);
  } catch {
    return null;
  }
}

/** The real path of `path`, refused with INVALID_URI when it leaves the real `root`. */
async function confinedRealPath(path: string, root: string, uri: string): Promise<string> {
  const [real, realRoot] = await Promise.all([fs.realpath(path), fs.realpath(root)]).catch((error: unknown) => rethrow(error, uri));
  if (!isInside(real, realRoot, paths.sep) && real !== realRoot) {
    throw new AssetError("INVALID_URI", uri, { message: `${uri} resolves outside its package folder` });
  }
  return real;
}

function isInside(path: string, root: string, sep: string): boolean {
  return path.startsWith(root.endsWith(sep) ? root : root + sep);
}

function versionOf(stats: Stats): string {
  return `${stats.mtimeMs}-${stats.size}`;
}

function rethrow(error: unknown, uri: string): never {
  if (AssetError.is(error)) throw error;
  if (error instanceof Error && error.name === "AbortError") throw new AssetError("CANCELLED", uri, { cause: error });
  const code = (error as NodeJS.ErrnoException).code;
  const reason = error instanceof Error ? error.message : String(error);
  if (code === "ENOENT" || code === "ENOTDIR") throw new AssetError("NOT_FOUND", uri, { cause: error });
  if (code === "EISDIR") throw new AssetError("INVALID_URI", uri, { cause: error, message: `${uri} is a folder, not a file` });
  if (code === "ELOOP" || code === "ENAMETOOLONG") throw new AssetError("INVALID_URI", uri, { cause: error, message: `${uri}: ${reason}` });
  // EACCES, EIO, EMFILE...: the file exists but cannot be had; no other code fits better.
  throw new AssetError("NOT_FOUND", uri, { cause: error, message: `cannot read ${uri}: ${reason}` });
}
