import type { LoadOutcome, RunRequest } from "./benchApi.js";
import { readBodyStreaming } from "./readBodyStreaming.js";
import { runPool } from "./runPool.js";

/** One asset, as a hand-rolled loader fetches it: parse JSON, or stream the bytes. */
async function fetchOne(url: string, request: RunRequest, outcome: LoadOutcome): Promise<void> {
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
    // A user's `Promise.all` would reject on the first failure; counting each one instead keeps
    // the offline and origin-down figures, and changes nothing in how the requests are scheduled.
    outcome.failed++;
  }
}

/**
 * The plainest loader a user writes, `Promise.all(urls.map((u) => fetch(u).then((r) => r.json())))`:
 * every request starts at once and the browser does all the scheduling (per-host connection
 * limits on HTTP/1.1, one multiplexed connection on HTTP/2). The baseline every ratio is taken against.
 */
export async function fetchAllAtOnce(request: RunRequest): Promise<LoadOutcome> {
  const outcome: LoadOutcome = { loaded: 0, failed: 0, revSum: 0, bytes: 0 };
  await Promise.all(request.urls.map((url) => fetchOne(url, request, outcome)));
  return outcome;
}

/** The same fetches with at most `request.concurrency` in flight: the usual hand-rolled pool. */
export async function fetchInPool(request: RunRequest): Promise<LoadOutcome> {
  const outcome: LoadOutcome = { loaded: 0, failed: 0, revSum: 0, bytes: 0 };
  await runPool(request.urls, request.concurrency, (url) => fetchOne(url, request, outcome));
  return outcome;
}
