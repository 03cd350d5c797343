import { Loader } from "../loaders/Loader.js";
import { AssetError } from "../kernel/AssetError.js";
import { resolveAgainst } from "../kernel/uri.js";

/** One asset a manifest lists, its uri resolved against the manifest's own. */
export interface ManifestEntry {
  uri: string;
  size?: number;
  integrity?: string;
  /** Why `uri` cannot be loaded (it climbs out of its root): that child fails with INVALID_URI. */
  invalid?: string;
}

/** The manifest file format (see the SPEC, "Manifest"). */
export interface Manifest {
  assets: Array<string | { uri: string; size?: number; integrity?: string }>;
}

/**
 * Parses and validates a manifest. A manifest of the wrong shape fails as a whole with PARSE (a
 * half-understood manifest would load the wrong level); duplicate entries are loaded once.
 */
export class ManifestLoader extends Loader<ManifestEntry[]> {
  readonly suffixes = [".json"];

  parse(raw: Uint8Array, uri: string): ManifestEntry[] {
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(raw));
    } catch (cause) {
      throw new AssetError("PARSE", uri, { cause, message: `manifest ${uri} is not valid JSON: ${cause instanceof Error ? cause.message : String(cause)}` });
    }
    const assets = typeof json === "object" && json !== null && !Array.isArray(json) ? (json as { assets?: unknown }).assets : undefined;
    if (!Array.isArray(assets)) throw new AssetError("PARSE", uri, { message: `manifest ${uri} has no "assets" array` });
    const seen = new Set<string>();
    const entries: ManifestEntry[] = [];
    assets.forEach((item, index) => {
      const entry = parseEntry(item, index, uri);
      if (seen.has(entry.uri)) return;
      seen.add(entry.uri);
      entries.push(entry);
    });
    return entries;
  }

  override sizeOf(value: ManifestEntry[], raw: Uint8Array): number {
    return raw.byteLength + value.length * 64;
  }
}

function parseEntry(item: unknown, index: number, manifestUri: string): ManifestEntry {
  const where = `manifest ${manifestUri}, assets[${index}]`;
  if (typeof item === "string") return resolveEntry(item, where, manifestUri);
  if (typeof item !== "object" || item === null || Array.isArray(item)) {
    throw new AssetError("PARSE", manifestUri, { message: `${where}: expected a uri string or an object with "uri"` });
  }
  const { uri, size, integrity } = item as { uri?: unknown; size?: unknown; integrity?: unknown };
  if (typeof uri !== "string") throw new AssetError("PARSE", manifestUri, { message: `${where}: "uri" must be a string` });
  if (size !== undefined && (typeof size !== "number" || !Number.isFinite(size) || size < 0)) {
    throw new AssetError("PARSE", manifestUri, { message: `${where}: "size" must be a non-negative number of bytes` });
  }
  if (integrity !== undefined && typeof integrity !== "string") {
    throw new AssetError("PARSE", manifestUri, { message: `${where}: "integrity" must be a string` });
  }
  return {
    ...resolveEntry(uri, where, manifestUri),
    ...(size === undefined ? {} : { size }),
    ...(integrity === undefined ? {} : { integrity }),
  };
}

function resolveEntry(reference: string, where: string, manifestUri: string): ManifestEntry {
  if (reference.trim() === "") throw new AssetError("PARSE", manifestUri, { message: `${where}: empty uri` });
  try {
    return { uri: resolveAgainst(reference, manifestUri) };
  } catch (error) {
    // One bad entry fails only its own child, with a message that names it.
    return { uri: reference, invalid: `${where}: ${error instanceof Error ? error.message : String(error)}` };
  }
}
