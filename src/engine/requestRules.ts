import type { AssetError } from "../kernel/AssetError.js";
import type { HttpRequest } from "../kernel/protocol.js";
import { sha256Integrity, sha256Satisfies } from "../kernel/verifyIntegrity.js";
import { cacheControlFor } from "./cachePolicy.js";
import { BODY_CHUNK_BYTES, isBodySha256, type EntryMeta } from "./PersistentStore.js";

// The engine's small decisions about one request, apart from its flow (`FetchEngine`).

/** Requests for one URL with these settings share one flight (see `SharedRequests`). */
export function sharingKey(url: string, req: HttpRequest): string {
  return JSON.stringify([url, req.cache !== false, req.integrity ?? null, req.maxBytes ?? null]);
}

/**
 * Stale-if-error: a stored copy stands in when the origin could not be reached, timed out or
 * failed (5xx), never when it answered otherwise (a 4xx, a CORS refusal): that answer is the news.
 */
export function servesStale(failure: AssetError): boolean {
  if (failure.corsRefusal) return false;
  if (failure.code === "NETWORK" || failure.code === "OFFLINE" || failure.code === "TIMEOUT") return true;
  return failure.code === "HTTP" && (failure.status ?? 0) >= 500;
}

/** Whether `meta`'s stored bytes are the ones `integrity` asks for (a SHA-256 request; others are hashed). */
export function pinnedBy(meta: EntryMeta, integrity: string | undefined): boolean {
  return integrity !== undefined && isBodySha256(meta.integrity) && sha256Satisfies(meta.integrity, integrity) === true;
}

/** What a body from the network may be kept for by the page: the origin's word, or a year for a content-hashed URL. */
export function networkCacheControl(req: HttpRequest, headers: Headers): string | null {
  return req.immutable === true ? cacheControlFor(true, undefined, 0) : headers.get("cache-control");
}

/** The SHA-256 of each stored piece of a body longer than one (`EntryMeta.chunks`). */
export async function chunkHashes(body: Uint8Array): Promise<EntryMeta["chunks"]> {
  if (body.length <= BODY_CHUNK_BYTES) return undefined;
  const integrity: string[] = [];
  for (let offset = 0; offset < body.length; offset += BODY_CHUNK_BYTES) integrity.push(await sha256Integrity(body.subarray(offset, offset + BODY_CHUNK_BYTES)));
  return { chunkBytes: BODY_CHUNK_BYTES, integrity };
}
