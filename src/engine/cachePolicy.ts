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
 * Until when the response may be served without revalidation (epoch ms), from `max-age` minus the
 * `Age` it already spent in caches on the way. `s-maxage` is for shared caches: this cache belongs
 * to one browser profile, so it is ignored. `no-cache` means revalidate every time.
 */
export function freshUntilFrom(headers: Headers, now: number): number | undefined {
  const directives = parseCacheControl(headers.get("cache-control"));
  if (directives.has("no-cache")) return undefined;
  const maxAge = directives.get("max-age");
  if (maxAge === undefined || !/^\d+$/.test(maxAge)) return undefined;
  const age = Number(headers.get("age") ?? "0");
  const remainingSeconds = Number(maxAge) - (Number.isFinite(age) && age > 0 ? age : 0);
  return remainingSeconds > 0 ? now + remainingSeconds * 1000 : undefined;
}

/** A stored entry that may be served without asking the server. */
export function isFresh(meta: EntryMeta, now: number): boolean {
  return meta.immutable || (meta.freshUntil !== undefined && now < meta.freshUntil);
}
