import { currentEngine, type EngineName } from "./EngineName.js";

/**
 * What a spec may need from an engine's driver beyond pages, scripts, input and screenshots. A
 * test that needs a feature its engine's driver lacks is not registered for that engine.
 */
export type Feature =
  /** A service worker can be made to stop while it runs a batch (see `WorkerStops`). */
  | "workerStops"
  /** The browser stops a busy worker by itself after a bounded time (Firefox's idle timeouts, `WorkerStops`). */
  | "idleWorkerStops"
  /** Chromium's DevTools protocol: worker state events, storage quota override, exact stops. */
  | "cdp"
  /** A reload that bypasses the service worker, so the page is not controlled. */
  | "hardReload"
  /** The browser's own log of the requests a service worker makes. */
  | "workerRequestLog"
  /** The browser, as launched, offers the Origin Private File System (`navigator.storage.getDirectory`). */
  | "opfs"
  /** Dedicated workers have `navigator.serviceWorker` (Firefox, WebKit), so they can post to a service worker. */
  | "serviceWorkerInDedicatedWorkers"
  /** `fetch` fails a chunked body whose connection closes before its last chunk (WebKitGTK's ends it as if whole). */
  | "seesCutChunkedBodies"
  /**
   * The HTTP cache keeps a `no-cache` response a service worker fetched across origins and, asked
   * with `cache: "no-cache"`, revalidates it with a conditional request (304, no body). WebKitGTK
   * under WebDriver did not: the same revalidation went out as unconditional GETs (the answers were
   * still recognised as unchanged by their ETag).
   */
  | "httpCacheRevalidation"
  /**
   * A service worker's own (non-opaque) answer is accepted for a cross-origin `<audio>`/`<video>`
   * request made without `crossorigin` (no-cors). Firefox 153 does not take it: it drops the
   * answer and sends the request to the network itself, so such media is not served from the
   * store there (with `crossorigin`, or from the page's origin, it is).
   */
  | "workerAnswersNoCorsMedia"
  /**
   * A service worker registers in, and controls, a cross-site iframe (a game portal's) in the
   * browser as the tests launch it: Firefox and WebKitGTK did (partitioned by the top-level site).
   * Chromium, as Playwright launches it, refused (`NotSupportedError: ... The user denied permission
   * to use Service Worker`): Playwright turns `ThirdPartyStoragePartitioning` off, and unpartitioned
   * Chromium refuses a third-party worker. Launched with partitioning as it ships
   * (`storagePartitioning`), it registers and controls the frame too (`e2e/deploy.portal.spec.ts`).
   */
  | "thirdPartyServiceWorker";

/**
 * Why each engine lacks what it lacks (the README's compatibility table says the same):
 * - Firefox over WebDriver BiDi: no hard reload (`browsingContext.reload` refuses `ignoreCache`,
 *   and a reload with the cache disabled stays controlled), no requests of workers in its network
 *   events; its idle timeouts stop workers (`WorkerStops`).
 * - WebKitGTK over classic WebDriver: no protocol beyond W3C WebDriver, so no stop, reload
 *   without the worker or request log; and WebKitGTK 2.50 ships its Storage API and File System
 *   features off (MiniBrowser `--features=help`), so `navigator.storage` is missing: no OPFS;
 *   and its network stack (libsoup) ends a chunked body cut before its last chunk as if whole.
 */
const FEATURES: Record<EngineName, ReadonlySet<Feature>> = {
  chromium: new Set<Feature>(["workerStops", "cdp", "hardReload", "workerRequestLog", "opfs", "seesCutChunkedBodies", "httpCacheRevalidation", "workerAnswersNoCorsMedia"]),
  firefox: new Set<Feature>(["workerStops", "idleWorkerStops", "opfs", "serviceWorkerInDedicatedWorkers", "seesCutChunkedBodies", "httpCacheRevalidation", "thirdPartyServiceWorker"]),
  webkit: new Set<Feature>(["serviceWorkerInDedicatedWorkers", "workerAnswersNoCorsMedia", "thirdPartyServiceWorker"]),
};

export function engineHas(feature: Feature, engine: EngineName = currentEngine()): boolean {
  return FEATURES[engine].has(feature);
}

export function missingFeatures(features: readonly Feature[], engine: EngineName = currentEngine()): Feature[] {
  return features.filter((feature) => !engineHas(feature, engine));
}
