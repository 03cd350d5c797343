import type { EntryMeta } from "./PersistentStore.js";

/** The version hint of a response or stored entry: its ETag, else its Last-Modified date. */
export function versionOf(etag: string | null, lastModified: string | null): string | null {
  return etag ?? lastModified;
}

export function metaVersion(meta: EntryMeta): string | null {
  return versionOf(meta.etag, meta.lastModified);
}

/** Cache-Control directives, lower-cased; a directive without a value maps to `""`. */
export function parseCacheControl(header: string | null): Map<string, string> {
  const directives = new Map<string, string>();
  if (header === null) return directives;
  for (const part of header.split(",")) {
    const [rawName, ...rest] = part.split("=");
    const name = rawName!.trim().toLowerCase();
    if (name === "") continue;
    directives.set(name, rest.join("=").trim().replace(/^"(.*)"$/, "$1"));
  }
  return directives;
}

/**
 * Whether a 2xx response may be kept. `no-store` forbids it; `Vary: *` means the response depends
 * on things a URL-keyed cache cannot see. Other `Vary` values are accepted: the engine's requests
 * for one URL carry the same headers every time.
 */
export function isStorable(headers: Headers): boolean {
  if (parseCacheControl(headers.get("cache-control")).has("no-store")) return false;
  const vary = headers.get("vary");
  return vary === null || !vary.split(",").some((field) => field.trim() === "*");
}

/**
 * Until when the response may be served without asking the server (epoch ms), as RFC 9111 §4.2
 * says for a private cache: the freshness lifetime (`max-age`, else `Expires` minus `Date`) less
 * the current age (the larger of `Age` and the time since `Date`). `s-maxage` is for shared caches
 * and is ignored; `no-cache` and `no-store` mean revalidate every time; an `Expires` that is not a
 * date (`0`) means already expired. No heuristic freshness: without an explicit lifetime the
 * response is revalidated every time, which is what a game that redeploys wants.
 */
export function freshUntilFrom(headers: Headers, now: number): number | undefined {
  const directives = parseCacheControl(headers.get("cache-control"));
  if (directives.has("no-cache") || directives.has("no-store")) return undefined;
  const date = Date.parse(headers.get("date") ?? "");
  const lifetimeMs = freshnessLifetimeMs(directives, headers, Number.isNaN(date) ? now : date);
  if (lifetimeMs === undefined) return undefined;
  const remainingMs = lifetimeMs - currentAgeMs(headers, now, date);
  return remainingMs > 0 ? now + remainingMs : undefined;
}

function freshnessLifetimeMs(directives: Map<string, string>, headers: Headers, date: number): number | undefined {
  const maxAge = directives.get("max-age");
  // An invalid max-age is no promise of freshness (RFC 9111 §1.2.2): stale at once.
  if (maxAge !== undefined) return /^\d+$/.test(maxAge) ? Number(maxAge) * 1000 : 0;
  const expires = headers.get("expires");
  if (expires === null) return undefined;
  const expiresAt = Date.parse(expires);
  return Number.isNaN(expiresAt) ? 0 : expiresAt - date;
}

function currentAgeMs(headers: Headers, now: number, date: number): number {
  const ageHeader = headers.get("age");
  const ageMs = ageHeader !== null && /^\d+$/.test(ageHeader.trim()) ? Number(ageHeader.trim()) * 1000 : 0;
  const apparentMs = Number.isNaN(date) ? 0 : Math.max(0, now - date);
  return Math.max(ageMs, apparentMs);
}

/** A stored entry that may be served without asking the server. */
export function isFresh(meta: EntryMeta, now: number): boolean {
  return meta.immutable || (meta.freshUntil !== undefined && now < meta.freshUntil);
}

/** A year: what a content-hashed URL may be kept for (its bytes never change). */
const IMMUTABLE_SECONDS = 365 * 24 * 3600;

/**
 * The `Cache-Control` a body served by the worker carries, so that the browser's memory cache may
 * keep it as it would the origin's answer: a stored entry still fresh for `max-age` seconds is
 * served again on a reload without waking the worker (issue 14's warm `<img>` scenario), one that
 * is not is asked for again. `freshUntil`: epoch ms, or undefined when it must be revalidated.
 */
export function cacheControlFor(immutable: boolean, freshUntil: number | undefined, now: number): string {
  if (immutable) return `max-age=${IMMUTABLE_SECONDS}, immutable`;
  const seconds = freshUntil === undefined ? 0 : Math.floor((freshUntil - now) / 1000);
  return seconds > 0 ? `max-age=${seconds}` : "no-cache";
}
