import { resolveAgainst } from "../src/kernel/uri.js";
import { type PackageFile, sha256Hex } from "./buildPkgIndex.js";

/**
 * A pkg file that is a manifest (`{ "assets": [...] }`) with `integrity` and `size` written for
 * every entry that names a file of the build, so the page serves unchanged entries from its store
 * with no request (content-addressed, issue 15). Null for any other file, or a manifest with
 * nothing to add. Entries the build does not hold are left as they are.
 */
export function withManifestIntegrity(file: PackageFile, bytes: Buffer, filesByUri: ReadonlyMap<string, PackageFile>): Buffer | null {
  if (!file.path.endsWith(".json")) return null;
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString("utf8"));
  } catch {
    return null;
  }
  const assets = typeof json === "object" && json !== null && !Array.isArray(json) ? (json as { assets?: unknown }).assets : undefined;
  if (!Array.isArray(assets)) return null;
  const manifestUri = `pkg://${file.packageName}/${file.path}`;
  let changed = false;
  const rewritten = assets.map((entry: unknown) => {
    const uri = typeof entry === "string" ? entry : typeof entry === "object" && entry !== null ? (entry as { uri?: unknown }).uri : undefined;
    if (typeof uri !== "string") return entry;
    let target: PackageFile | undefined;
    try {
      target = filesByUri.get(resolveAgainst(uri, manifestUri));
    } catch {
      target = undefined;
    }
    if (target === undefined) return entry;
    const integrity = `sha256-${Buffer.from(target.sha256, "hex").toString("base64")}`;
    const base = typeof entry === "string" ? { uri } : (entry as Record<string, unknown>);
    if (base.integrity === integrity && base.size === target.size) return entry;
    changed = true;
    return { ...base, size: target.size, integrity };
  });
  if (!changed) return null;
  return Buffer.from(JSON.stringify({ ...(json as object), assets: rewritten }, null, 1));
}

/** The file as it will be emitted: its new bytes' size and hash. */
export function rehashed(file: PackageFile, bytes: Buffer): PackageFile {
  return { ...file, size: bytes.length, sha256: sha256Hex(bytes) };
}
