import { assetFailure } from "./assetFailure.js";

/**
 * The URL a request may fetch, normalised into its cache key (no fragment: it never reaches the
 * server). Throws `AssetError` INVALID_URI / UNSUPPORTED_SCHEME.
 */
export function checkedRequestUrl(url: unknown, allowedOrigins: ReadonlySet<string> | null): string {
  if (typeof url !== "string") throw assetFailure("INVALID_URI", String(url), "request without a URL");
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw assetFailure("INVALID_URI", url, "not an absolute URL");
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw assetFailure("UNSUPPORTED_SCHEME", url, "only http(s) URLs are fetched");
  // fetch() refuses them anyway; and a cache key holding a password would be a leak.
  if (parsed.username !== "" || parsed.password !== "") throw assetFailure("INVALID_URI", url, "URLs with credentials are refused");
  if (allowedOrigins !== null && !allowedOrigins.has(parsed.origin)) throw assetFailure("INVALID_URI", url, `origin ${parsed.origin} is not allowed`);
  parsed.hash = "";
  return parsed.href;
}

/** `origin` normalised (`https://CDN.example.com/` → `https://cdn.example.com`); null when it is no URL. */
export function normalisedOrigin(origin: string): string | null {
  try {
    return new URL(origin).origin;
  } catch {
    return null;
  }
}

/** The origins of `origins`, normalised as `normalisedOrigin` does; invalid ones dropped. */
export function originSet(origins: readonly string[]): ReadonlySet<string> {
  return new Set(origins.map(normalisedOrigin).filter((origin): origin is string => origin !== null));
}

/** The key `url` is stored under, for invalidation: as `checkedRequestUrl` makes it, when it can. */
export function cacheKeyOf(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.hash = "";
    return parsed.href;
  } catch {
    return url;
  }
}
