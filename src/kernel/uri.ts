import { AssetError } from "./AssetError.js";

/** A uri the server accepted: its scheme (without `:`) and its normalised absolute form. */
export interface ParsedUri {
  scheme: string;
  /** Normalised: dot segments removed, scheme lower-cased. */
  href: string;
}

const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):/;

/**
 * Validates and normalises `uri`. A bare relative path is resolved against `defaultBase` (the
 * document base URL in a browser, the working directory as a `file:` URL in Node). Throws
 * `INVALID_URI` for an empty uri, control characters, or a path that climbs out of its root
 * (`pkg://game/../x`, `file:///a/../../etc`) — which `new URL` would otherwise silently clamp.
 */
export function parseUri(uri: unknown, defaultBase: string): ParsedUri {
  if (typeof uri !== "string") throw new AssetError("INVALID_URI", String(uri), { message: `uri must be a string, got ${typeof uri}` });
  const shown = uri.length > 200 ? `${uri.slice(0, 200)}…` : uri;
  if (uri.trim() === "") throw new AssetError("INVALID_URI", uri, { message: "uri is empty" });
  // eslint-disable-next-line no-control-regex -- rejecting control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(uri)) throw new AssetError("INVALID_URI", shown, { message: `uri has control characters: ${JSON.stringify(shown)}` });
  const schemeMatch = SCHEME.exec(uri);
  // "c:/x" on Windows-like input is a path, not a scheme; a one-letter scheme is never ours.
  const isAbsolute = schemeMatch !== null && schemeMatch[1]!.length > 1;
  let url: URL;
  try {
    url = isAbsolute ? new URL(uri) : new URL(uri, defaultBase);
  } catch (cause) {
    throw new AssetError("INVALID_URI", shown, { cause, message: `not a valid uri: ${shown}` });
  }
  const rawPath = isAbsolute ? rawPathOf(uri) : joinedRawPath(defaultBase, uri);
  if (climbsOutOfRoot(rawPath)) throw new AssetError("INVALID_URI", shown, { message: `path climbs out of its root: ${shown}` });
  const scheme = url.protocol.slice(0, -1).toLowerCase();
  if ((scheme === "pkg" || scheme === "mem") && url.host === "") {
    throw new AssetError("INVALID_URI", shown, { message: `${scheme}:// uris need a name after the slashes: ${shown}` });
  }
  return { scheme, href: url.href };
}

/** The path part of an absolute uri as written, before any normalisation. */
export function rawPathOf(uri: string): string {
  const afterScheme = uri.replace(SCHEME, "");
  const withoutAuthority = afterScheme.startsWith("//") ? afterScheme.slice(2).replace(/^[^/\\?#]*/, "") : afterScheme;
  return withoutAuthority.replace(/[?#].*$/s, "");
}

function joinedRawPath(base: string, relative: string): string {
  const path = relative.replace(/[?#].*$/s, "");
  if (path.startsWith("/") || path.startsWith("\\")) return path;
  const basePath = new URL(base).pathname;
  return basePath.slice(0, basePath.lastIndexOf("/") + 1) + path;
}

/** True when the dot segments of `path` go above its first segment. `%2e%2e` and `\` count too. */
export function climbsOutOfRoot(path: string): boolean {
  let depth = 0;
  for (const raw of path.split(/[/\\]/)) {
    const segment = decodeDots(raw);
    if (segment === "" || segment === ".") continue;
    if (segment === "..") {
      depth -= 1;
      if (depth < 0) return true;
    } else depth += 1;
  }
  return false;
}

function decodeDots(segment: string): string {
  return segment.replace(/%2e/gi, ".");
}

/** Resolves `reference` against `baseUri` (a manifest's own uri); absolute references stay as they are. */
export function resolveAgainst(reference: string, baseUri: string): string {
  // As in parseUri: `new URL` would silently drop them ("..\t/x" would climb, "a\tb" would load "ab").
  // eslint-disable-next-line no-control-regex -- rejecting control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(reference)) throw new AssetError("INVALID_URI", reference, { message: `uri has control characters: ${JSON.stringify(reference)}` });
  if (SCHEME.test(reference) && SCHEME.exec(reference)![1]!.length > 1) return reference;
  const basePath = rawPathOf(baseUri);
  const joined = reference.startsWith("/") ? reference : basePath.slice(0, basePath.lastIndexOf("/") + 1) + reference;
  if (climbsOutOfRoot(joined.replace(/[?#].*$/s, ""))) {
    throw new AssetError("INVALID_URI", reference, { message: `path climbs out of its root: ${reference} (relative to ${baseUri})` });
  }
  return new URL(reference, baseUri).href;
}
