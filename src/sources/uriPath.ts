import { AssetError } from "../kernel/AssetError.js";
import { climbsOutOfRoot, rawPathOf } from "../kernel/uri.js";

/**
 * The decoded path segments of an absolute uri (`pkg://game/a/b.png` → `["a", "b.png"]`). Refuses,
 * with INVALID_URI, a path that climbs out of its root and a segment that decodes to something a
 * file system would read as a separator or a climb (`%2F`, `%5C`, `%00`); the core checks the
 * first too, a source checks again because it is the one touching the disk.
 */
export function pathSegments(uri: string): string[] {
  return segmentsOf(parsedUri(uri), uri);
}

/** `uri` parsed, or INVALID_URI. */
export function parsedUri(uri: string): URL {
  try {
    return new URL(uri);
  } catch (cause) {
    throw new AssetError("INVALID_URI", uri, { cause, message: `not a valid uri: ${uri}` });
  }
}

/** `pathSegments` of `uri`, already parsed as `url`. */
export function segmentsOf(url: URL, uri: string): string[] {
  if (climbsOutOfRoot(rawPathOf(uri))) throw new AssetError("INVALID_URI", uri, { message: `path climbs out of its root: ${uri}` });
  return url.pathname
    .split("/")
    .filter((segment) => segment !== "" && segment !== ".")
    .map((segment) => {
      const decoded = decodeSegment(segment, uri);
      if (decoded === ".." || decoded === "." || /[/\\\0]/.test(decoded)) {
        throw new AssetError("INVALID_URI", uri, { message: `path segment ${JSON.stringify(segment)} is not allowed: ${uri}` });
      }
      return decoded;
    });
}

/** The absolute uri of `relativePath` (`/`-separated, not encoded) inside the folder `folderUri`. */
export function childUri(folderUri: string, relativePath: string): string {
  const folder = folderUri.replace(/[?#].*$/s, "");
  const base = folder.endsWith("/") ? folder : `${folder}/`;
  return base + relativePath.split("/").map(encodeURIComponent).join("/");
}

function decodeSegment(segment: string, uri: string): string {
  try {
    return decodeURIComponent(segment);
  } catch (cause) {
    throw new AssetError("INVALID_URI", uri, { cause, message: `bad percent-encoding in ${uri}` });
  }
}
