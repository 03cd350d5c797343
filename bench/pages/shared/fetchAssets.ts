import type { LoadOutcome, RunRequest } from "./benchApi.js";
import { runPool } from "./runPool.js";

/** Reads a body chunk by chunk into one buffer sized by Content-Length: raw fetch streaming. */
export async function readBodyStreaming(response: Response): Promise<Uint8Array> {
  const declared = Number(response.headers.get("content-length"));
  const reader = response.body?.getReader();
  if (!reader) return new Uint8Array(await response.arrayBuffer());
  let buffer = new Uint8Array(Number.isFinite(declared) && declared > 0 ? declared : 64 * 1024);
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (length + value.byteLength > buffer.byteLength) {
      const grown = new Uint8Array(Math.max(buffer.byteLength * 2, length + value.byteLength));
      grown.set(buffer.subarray(0, length));
      buffer = grown;
    }
    buffer.set(value, length);
    length += value.byteLength;
  }
  return length === buffer.byteLength ? buffer : buffer.subarray(0, length);
}

/**
 * The hand-rolled loader: `fetch` every URL with the same concurrency as ours, parse JSON or
 * stream the bytes. Used by the plain-fetch page and, behind their Service Workers, the Workbox pages.
 */
export async function fetchAssets(request: RunRequest): Promise<LoadOutcome> {
  const outcome: LoadOutcome = { loaded: 0, failed: 0, revSum: 0, bytes: 0 };
  await runPool(request.urls, request.concurrency, async (url) => {
    try {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      if (request.kind === "json") {
        const value = (await response.json()) as { rev?: number };
        outcome.revSum += value.rev ?? 0;
      } else {
        // Read first, then add: `x += await y` would read `x` before the await and lose updates.
        const body = await readBodyStreaming(response);
        outcome.bytes += body.byteLength;
      }
      outcome.loaded++;
    } catch {
      outcome.failed++;
    }
  });
  return outcome;
}
