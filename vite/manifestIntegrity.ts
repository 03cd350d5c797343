import { resolveAgainst } from "../src/kernel/uri.js";
import { type PackageFile, sha256Hex } from "./buildPkgIndex.js";

/**
 * A pkg file that is a manifest (`{ "assets": [...] }`) with `integrity` and `size` written for
 * every entry that names a file of the build, so the page serves unchanged entries from its store
 * with no request (content-addressed, issue 15). Null for any other file, or a manifest with
 * nothing to add. Entries the build does not hold are left as they are.
 */
export function withManifestIntegrity(file: PackageFile, bytes: Buffer, filesByUri: ReadonlyMap<string, PackageFile>): Buffer | null {
  const manifest = parseManifest(file, bytes);
  if (manifest === null) return null;
  let changed = false;
  const rewritten = manifest.assets.map((entry: unknown) => {
    const uri = entryUri(entry);
    const target = uri === undefined ? undefined : targetOf(uri, file, filesByUri);
    if (target === undefined) return entry;
    const integrity = `sha256-${Buffer.from(target.sha256, "hex").toString("base64")}`;
    const base = typeof entry === "string" ? { uri } : (entry as Record<string, unknown>);
    if (base.integrity === integrity && base.size === target.size) return entry;
    changed = true;
    return { ...base, size: target.size, integrity };
  });
  if (!changed) return null;
  return Buffer.from(JSON.stringify({ ...manifest.json, assets: rewritten }, null, 1));
}

/**
 * The files of the build that a manifest lists, in the order of its entries, each once; null when
 * `file` is no manifest. `loadManifest` asks for them together, so packs keep them together.
 */
export function listedFiles(file: PackageFile, bytes: Buffer, filesByUri: ReadonlyMap<string, PackageFile>): PackageFile[] | null {
  const manifest = parseManifest(file, bytes);
  if (manifest === null) return null;
  const listed = new Set<PackageFile>();
  for (const entry of manifest.assets) {
    const uri = entryUri(entry);
    const target = uri === undefined ? undefined : targetOf(uri, file, filesByUri);
    if (target !== undefined) listed.add(target);
  }
  return [...listed];
}

/** The file as it will be emitted: its new bytes' size and hash. */
export function rehashed(file: PackageFile, bytes: Buffer): PackageFile {
  return { ...file, size: bytes.length, sha256: sha256Hex(bytes) };
}

/** How the plugin recognises a manifest: a `.json` pkg file whose object has an `assets` array. */
function parseManifest(file: PackageFile, bytes: Buffer): { json: object; assets: unknown[] } | null {
  if (!file.path.endsWith(".json")) return null;
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString("utf8"));
  } catch {
    return null;
  }
  const assets = typeof json === "object" && json !== null && !Array.isArray(json) ? (json as { assets?: unknown }).assets : undefined;
  return Array.isArray(assets) ? { json: json as object, assets } : null;
}

function entryUri(entry: unknown): string | undefined {
  const uri = typeof entry === "string" ? entry : typeof entry === "object" && entry !== null ? (entry as { uri?: unknown }).uri : undefined;
  return typeof uri === "string" ? uri : undefined;
}

/** The build's file an entry names, resolved against the manifest's own uri; undefined when none. */
function targetOf(uri: string, manifest: PackageFile, filesByUri: ReadonlyMap<string, PackageFile>): PackageFile | undefined {
  try {
    return filesByUri.get(resolveAgainst(uri, `pkg://${manifest.packageName}/${manifest.path}`));
  } catch {
    return undefined;
  }
}
