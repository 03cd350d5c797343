import { createHash } from "node:crypto";
import { buildPkgIndex, type PackageFile, relativeUrl, sha256Hex } from "../vite/buildPkgIndex.js";
import { DEFAULT_PACK_OPTIONS, planPacks } from "../vite/planPacks.js";
import type { PkgIndexPack } from "../src/kernel/PkgIndex.js";
import type { StoredAsset } from "./AssetStore.js";

/** The package the small set is listed under: `/assets/small/0007.json` is `pkg://bench/small/0007.json`. */
export const BENCH_PACKAGE = "bench";
/** Where the origin serves the pkg:// index of the small set (ours' `pkgIndexUrl` in the packs chain). */
export const PKG_INDEX_PATH = "/assets/pkg/index.json";
/** A manifest listing every small asset with its `integrity` (the content-addressed manifest chain). */
export const MANIFEST_PATH = "/assets/manifest.json";

/** A file the origin serves that is made from the assets rather than generated on its own. */
export interface DerivedAsset {
  bytes: Uint8Array;
  etag: string;
}

export function pkgUriOf(path: string): string {
  return `pkg://${BENCH_PACKAGE}${path.slice("/assets".length)}`;
}

function etagOf(bytes: Uint8Array): string {
  return `"${createHash("sha256").update(bytes).digest("base64url").slice(0, 27)}"`;
}

const encoder = new TextEncoder();

/**
 * The index, packs and manifest for the small assets, in the formats the Vite plugin emits: the
 * plan and the index come from the plugin's own `planPacks` and `buildPkgIndex`, so the bench
 * measures what a build ships rather than a second copy of the format. Paths are without the
 * leading slash, as the plugin's output paths are, when made relative.
 */
export function deriveAssets(small: readonly StoredAsset[]): Map<string, DerivedAsset> {
  const files: PackageFile[] = small.map((asset) => ({
    packageName: BENCH_PACKAGE,
    path: asset.path.slice("/assets/".length),
    absolutePath: asset.path,
    size: asset.bytes.byteLength,
    sha256: sha256Hex(asset.bytes),
  }));
  const bytesOf = new Map(small.map((asset) => [asset.path, asset.bytes]));
  const derived = new Map<string, DerivedAsset>();
  const add = (path: string, bytes: Uint8Array): void => void derived.set(path, { bytes, etag: etagOf(bytes) });
  const indexFile = PKG_INDEX_PATH.slice(1);

  const packs: Record<string, PkgIndexPack> = {};
  const packOf = new Map<string, { id: string; offset: number }>();
  for (const plan of planPacks(files, DEFAULT_PACK_OPTIONS)) {
    const bytes = Buffer.concat(plan.files.map(({ file }) => bytesOf.get(file.absolutePath) as Uint8Array));
    const id = sha256Hex(bytes).slice(0, 16);
    const packFile = `assets/pkg/packs/${id}.pack`;
    add(`/${packFile}`, bytes);
    packs[id] = { url: relativeUrl(indexFile, packFile), size: bytes.length };
    for (const { file, offset } of plan.files) packOf.set(file.absolutePath, { id, offset });
  }
  // Not immutable: the bench's asset URLs are not content-hashed, and a bump keeps the URL.
  const index = buildPkgIndex([BENCH_PACKAGE], files, (file) => {
    const pack = packOf.get(file.absolutePath);
    return { url: relativeUrl(indexFile, file.absolutePath.slice(1)), immutable: false, ...(pack === undefined ? {} : { pack }) };
  });
  if (Object.keys(packs).length > 0) index.packs = packs;
  add(PKG_INDEX_PATH, encoder.encode(JSON.stringify(index)));

  // Integrity as the plugin writes it into the manifests it builds (`withManifestIntegrity`).
  const assets = files.map((file) => ({ uri: file.absolutePath, size: file.size, integrity: `sha256-${Buffer.from(file.sha256, "hex").toString("base64")}` }));
  add(MANIFEST_PATH, encoder.encode(JSON.stringify({ assets })));
  return derived;
}
