import { PrecacheController, PrecacheRoute } from "workbox-precaching";
import type { PrecacheEntry } from "./PrecacheEntry.js";

/** Only requests for such paths can be a shell file of an older build, so only they may wait for that list. */
const SHELL_PATH = /\.(?:html|m?js|css)$/i;

/**
 * The app shell in the precache (Cache Storage), through workbox's PrecacheController: install
 * stores the files whose revision is new, and requests for them are answered from the cache. Old
 * revisions are not deleted on activate, as `precacheAndRoute` would: a page still running an
 * older build may yet ask for a file of it (a lazily imported chunk), offline too, and the host may
 * no longer serve it after a deploy. `prune` deletes them once no page runs that build.
 */
export class ShellPrecache {
  readonly #controller = new PrecacheController();
  readonly #route: PrecacheRoute;
  readonly #origin: string;
  readonly #loadKept: (() => Promise<ReadonlyMap<string, string>>) | null;
  /** Shell files of every build still recorded (URL → cache key); null until read. */
  #kept: ReadonlyMap<string, string> | null = null;
  #keptLoading: Promise<ReadonlyMap<string, string>> | null = null;

  /**
   * @param origin the worker's origin: shell files of older builds are looked up on it only.
   * @param loadKept the shell files of the builds still recorded (older ones included), or null.
   */
  constructor(entries: readonly PrecacheEntry[], origin: string, loadKept: (() => Promise<ReadonlyMap<string, string>>) | null) {
    this.#controller.addToCacheList([...entries]);
    this.#route = new PrecacheRoute(this.#controller);
    this.#origin = origin;
    this.#loadKept = loadKept;
    // Read at once: a request that woke a stopped worker must not wait for it if it can help it.
    if (loadKept !== null) void this.#keptList();
  }

  /** Stores the shell files whose revision the cache does not hold yet (workbox fetches only those). */
  install(event: ExtendableEvent): Promise<unknown> {
    return this.#controller.install(event);
  }

  /** This build's shell: `[url, cache key]` pairs. */
  cacheKeys(): Array<[string, string]> {
    return [...this.#controller.getURLsToCacheKeys()];
  }

  /** The cached response of one of this build's shell files. */
  match(url: string): Promise<Response | undefined> {
    return this.#controller.matchPrecache(url);
  }

  /**
   * Answers a GET for a shell file of this build (navigations to `/` match `/index.html`:
   * workbox's directoryIndex) or of an older build still recorded; leaves anything else alone.
   */
  handleFetch(event: FetchEvent): void {
    const { request } = event;
    if (request.method !== "GET") return;
    const url = new URL(request.url);
    const params: unknown = this.#route.match({ url, request, event, sameOrigin: url.origin === this.#origin });
    if (params) {
      event.respondWith(this.#route.handler.handle({ url, request, event, params: params as Record<string, string> }) as Promise<Response>);
      return;
    }
    if (this.#loadKept === null || url.origin !== this.#origin || !SHELL_PATH.test(url.pathname)) return;
    if (this.#kept !== null) {
      const cacheKey = this.#kept.get(url.href);
      if (cacheKey !== undefined) event.respondWith(this.#fromCache(cacheKey, request));
      return;
    }
    // The worker was just started for this request: decide once the list is read (one IndexedDB get).
    event.respondWith(this.#keptList().then((kept) => {
      const cacheKey = kept.get(url.href);
      return cacheKey === undefined ? fetch(request) : this.#fromCache(cacheKey, request);
    }));
  }

  /** Deletes cached shell files that neither this build nor `keep` (cache keys of kept builds) lists. */
  async prune(keep: ReadonlySet<string>): Promise<number> {
    const current = new Set(this.#controller.getURLsToCacheKeys().values());
    const cache = await caches.open(this.#controller.strategy.cacheName);
    let deleted = 0;
    for (const request of await cache.keys()) {
      if (current.has(request.url) || keep.has(request.url)) continue;
      if (await cache.delete(request)) deleted += 1;
    }
    // Read again on the next request: pruning dropped builds from the records.
    this.#kept = null;
    this.#keptLoading = null;
    return deleted;
  }

  async #fromCache(cacheKey: string, request: Request): Promise<Response> {
    const cached = await caches.open(this.#controller.strategy.cacheName).then((cache) => cache.match(cacheKey));
    return cached ?? fetch(request);
  }

  #keptList(): Promise<ReadonlyMap<string, string>> {
    const load = this.#loadKept;
    if (load === null) return Promise.resolve(new Map());
    if (this.#keptLoading !== null) return this.#keptLoading;
    const loading: Promise<ReadonlyMap<string, string>> = load()
      .catch((): ReadonlyMap<string, string> => new Map())
      .then((kept) => {
        // A prune in between started a newer read: this one is stale.
        if (this.#keptLoading === loading) this.#kept = kept;
        return kept;
      });
    this.#keptLoading = loading;
    return loading;
  }
}
