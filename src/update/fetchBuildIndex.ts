import { AssetError } from "../kernel/AssetError.js";
import { type BuildIndex, parseBuildIndex } from "./BuildIndex.js";

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/**
 * Fetches and validates the pkg index at `url` (`indexUrl` names it in errors and resolves its
 * URLs). Fails with an `AssetError`: NOT_FOUND (404), HTTP, OFFLINE or NETWORK, PARSE, or the
 * reason `init.signal` was aborted with (a TIMEOUT from the caller's deadline).
 */
export async function fetchBuildIndex(url: string, indexUrl: string, init: RequestInit, fetchFn: FetchLike, isOffline: () => boolean): Promise<BuildIndex> {
  let response: Response;
  let body: Uint8Array;
  try {
    response = await fetchFn(url, init);
    body = new Uint8Array(await response.arrayBuffer());
  } catch (cause) {
    const reason: unknown = init.signal?.aborted ? init.signal.reason : undefined;
    if (AssetError.is(reason)) throw reason;
    if (init.signal?.aborted) throw new AssetError("CANCELLED", indexUrl, { cause });
    const code = isOffline() ? "OFFLINE" : "NETWORK";
    throw new AssetError(code, indexUrl, { cause, message: `could not fetch the pkg:// index ${indexUrl}: ${cause instanceof Error ? cause.message : String(cause)}` });
  }
  if (response.status === 404) throw new AssetError("NOT_FOUND", indexUrl, { status: 404, message: `no pkg:// index at ${indexUrl}` });
  if (!response.ok) throw new AssetError("HTTP", indexUrl, { status: response.status, message: `the pkg:// index ${indexUrl} answered HTTP ${response.status}` });
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(body));
  } catch (cause) {
    throw new AssetError("PARSE", indexUrl, { cause, message: `the pkg:// index ${indexUrl} is not JSON` });
  }
  return parseBuildIndex(json, indexUrl, body.byteLength);
}
