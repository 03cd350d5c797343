import type { Browser, Page } from "playwright-core";
import { attachWorkerHeap, heapPeakDuring, type WorkerHeap } from "../e2e/support/workerHeap.js";
import type { AssetStore } from "./AssetStore.js";
import type { PeerOrigins } from "./PeerOrigins.js";
import type { PeerDescriptor } from "./peers/PeerDescriptor.js";

/** One timed range read of the film, as the page saw it. */
export interface SeekSample {
  start: number;
  ms: number;
  status: number;
  byteLength: number;
  /** Ours' `x-simvx-served-from` header; null from anything else. */
  servedFrom: string | null;
  /** Rise of the worker's JS heap and ArrayBuffer memory during the read over its level just before; null without ours' worker. */
  workerHeapRiseBytes: number | null;
}

export interface SeekRecord {
  rep: number;
  peer: string;
  fileBytes: number;
  rangeBytes: number;
  seeks: SeekSample[];
  /** Asked of the origin during the seeks (0: every range came from a cache). */
  originRequests: number;
  originBodyBytes: number;
  error: string | null;
}

export interface SeekRun {
  browser: Browser;
  origins: PeerOrigins;
  store: AssetStore;
  peer: PeerDescriptor;
  rep: number;
  log(line: string): void;
}

/** The peers the figure is for: ours' worker, and the plain page that leaves its ranges to the browser. */
export const SEEK_PEERS: readonly string[] = ["plain-fetch", "ours-sw"];

export const RANGE_BYTES = 2 ** 20;

/** Three 1 MiB ranges: the start, past the middle (not on a 1 MiB piece boundary), the end. */
export function seekStarts(fileBytes: number): number[] {
  return [0, Math.floor(fileBytes / 2) + 4096, fileBytes - RANGE_BYTES];
}

interface PageRead {
  status: number;
  byteLength: number;
  servedFrom: string | null;
  ms: number;
}

function readRange(page: Page, url: string, range: string | null): Promise<PageRead> {
  return page.evaluate(
    async ([u, r]) => {
      const began = performance.now();
      const response = await fetch(u, r === null ? {} : { headers: { Range: r } });
      const body = await response.arrayBuffer();
      return { status: response.status, byteLength: body.byteLength, servedFrom: response.headers.get("x-simvx-served-from"), ms: performance.now() - began };
    },
    [url, range] as const,
  );
}

/** Reads while sampling the worker's heap as fast as CDP answers: the highest it went over its level after a GC. */
async function sampledRead(heap: WorkerHeap, read: () => Promise<PageRead>): Promise<{ read: PageRead; riseBytes: number }> {
  const { result, baseline, peak } = await heapPeakDuring(heap, read);
  return { read: result, riseBytes: peak - baseline };
}

/**
 * Issue 14's seek figure for one peer: in a fresh context, the page fetches the whole 64 MiB film
 * (labelled fresh for an hour) so that its cache holds it, then reads three 1 MiB ranges with
 * `Range` headers, each timed in the page from the request to the last byte. Through ours the
 * worker answers them from its store (the film's folder is in its `intercept` rules), and its heap
 * is sampled over CDP during each read. The plain page leaves its ranges to the browser: in
 * Playwright's fresh context (an in-memory HTTP cache) they went to the origin, which the origin
 * counts show.
 */
export async function measureSeek(run: SeekRun): Promise<SeekRecord> {
  const { store, peer } = run;
  const assets = run.origins.page.assets;
  assets.cachePolicy = "max-age";
  assets.offline = false;
  const [path] = store.paths("film");
  const fileBytes = store.totalBytes("film");
  const record: SeekRecord = { rep: run.rep, peer: peer.id, fileBytes, rangeBytes: RANGE_BYTES, seeks: [], originRequests: 0, originBodyBytes: 0, error: null };
  if (path === undefined) return { ...record, error: "no film in the asset store" };
  const url = `${run.origins.page.url}${path}`;
  const context = await run.browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${run.origins.page.url}${peer.page}`);
    await page.waitForFunction(() => window.bench !== undefined, null, { timeout: 15_000 });
    await page.evaluate(() => window.bench?.setup());
    const throughWorker = peer.throughWorker === true;
    if (throughWorker) {
      // Controlled from the reload on, so the page's own requests reach the worker.
      await page.reload();
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 15_000 });
    }
    const whole = await readRange(page, url, null);
    if (whole.status !== 200 || whole.byteLength !== fileBytes) throw new Error(`the whole film: HTTP ${whole.status}, ${whole.byteLength} bytes`);
    if (throughWorker) await waitUntilStored(page, url);
    await assets.settle();
    assets.takeCounters();
    const heap = throughWorker ? await attachWorkerHeap(await context.newCDPSession(page)) : null;
    for (const start of seekStarts(fileBytes)) {
      const range = `bytes=${start}-${start + RANGE_BYTES - 1}`;
      const { read, riseBytes } = heap === null ? { read: await readRange(page, url, range), riseBytes: null } : await sampledRead(heap, () => readRange(page, url, range));
      record.seeks.push({ start, ms: read.ms, status: read.status, byteLength: read.byteLength, servedFrom: read.servedFrom, workerHeapRiseBytes: riseBytes });
      if (read.status !== 206 || read.byteLength !== RANGE_BYTES) record.error ??= `${range}: HTTP ${read.status}, ${read.byteLength} bytes`;
    }
    const counters = assets.takeCounters();
    record.originRequests = counters.requests;
    record.originBodyBytes = counters.bodyBytes;
  } catch (caught) {
    record.error = (caught instanceof Error ? caught.message : String(caught)).split("\n")[0] ?? "unknown error";
  } finally {
    await context.close();
  }
  run.log(describeSeek(record));
  return record;
}

/** The worker stores behind its answer (write-behind): a 1-byte range tells when the store serves it. */
async function waitUntilStored(page: Page, url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await readRange(page, url, "bytes=0-0")).servedFrom === "persistent") return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`the film was not stored within ${timeoutMs / 1000} s`);
}

function describeSeek(record: SeekRecord): string {
  const head = `  rep ${record.rep} ${record.peer.padEnd(20)} seek-64mib           `;
  const seeks = record.seeks
    .map((seek) => `${seek.ms.toFixed(1)} ms${seek.workerHeapRiseBytes === null ? "" : ` +${(seek.workerHeapRiseBytes / 2 ** 20).toFixed(1)} MiB`} (${seek.servedFrom ?? seek.status})`)
    .join(", ");
  return `${head} ${seeks}  origin ${record.originRequests} req ${Math.round(record.originBodyBytes / 1024)} KiB${record.error ? ` ERROR ${record.error}` : ""}`;
}
