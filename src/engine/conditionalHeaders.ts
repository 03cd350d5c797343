/** True for an entity tag (`"…"` or `W/"…"`); any other validator is taken as an HTTP date. */
export function looksLikeEtag(validator: string): boolean {
  return /^(W\/)?".*"$/s.test(validator);
}

/**
 * The conditional-request header for a validator: `If-None-Match` for an ETag, else
 * `If-Modified-Since` for a Last-Modified date.
 */
export function conditionalHeaders(validator: string | null): Record<string, string> {
  if (validator === null) return {};
  return looksLikeEtag(validator) ? { "if-none-match": validator } : { "if-modified-since": validator };
}

/**
 * Whether a response (a HEAD answer) still carries `validator`. ETags compare weakly (RFC 9110
 * §8.8.3.2: `W/"x"` and `"x"` are the same representation for a cache); dates compare as dates.
 */
export function matchesValidator(headers: Headers, validator: string): boolean {
  if (looksLikeEtag(validator)) {
    const etag = headers.get("etag");
    return etag !== null && stripWeak(etag) === stripWeak(validator);
  }
  const lastModified = headers.get("last-modified");
  if (lastModified === null) return false;
  const stored = Date.parse(validator);
  return !Number.isNaN(stored) && Date.parse(lastModified) === stored;
}

function stripWeak(etag: string): string {
  return etag.trim().replace(/^W\//, "");
}
