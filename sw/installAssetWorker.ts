import * as Comlink from "comlink";
import { clientsClaim } from "workbox-core";
import { matchPrecache, precacheAndRoute } from "workbox-precaching";
import { FetchEngine } from "../src/engine/FetchEngine.js";
import { IdbStore } from "../src/engine/IdbStore.js";
import { originSet } from "../src/engine/requestUrl.js";
import type { BatchWakeMessage, WakeMessage } from "../src/kernel/protocol.js";
import { answerPageRequest } from "./answerPageRequest.js";
import { BatchSession } from "./BatchSession.js";
import { CallSession } from "./CallSession.js";
import { type InterceptRule, PageRequestRouter, type PageRoute } from "./PageRequestRouter.js";
import { PkgStableUrls } from "./PkgStableUrls.js";
import { runAsCall } from "./runAsCall.js";
import { staticRoutes } from "./staticRoutes.js";

/** One app-shell file to keep for offline start; the revision changes when its content does. */
export interface PrecacheEntry {
  url: string;
  revision: string;
}

export interface AssetWorkerOptions {
  /** IndexedDB byte budget of the HTTP cache (least recently used entries are evicted past it). */
  persistentCacheBytes?: number;
  /** Origins (besides the worker's own) whose assets may be fetched; all http(s) origins when omitted. */
  allowedOrigins?: string[];
  /** App-shell files stored at install and served cache-first, so the app starts offline. */
  precache?: PrecacheEntry[];
  /** Reported by `ping`, so a page can tell which build of the worker answers. */
  version?: string;
  /** Upper bound for how long one call or batch may keep the worker alive. */
  maxCallMs?: number;
  /**
   * The page's own GET requests (an `<img>`, `<audio>`, CSS, another engine's loader) that the
   * worker answers from its store, besides pkg files and URLs the store holds: URL prefixes
   * (relative ones resolve against the worker's URL) or RegExps over the whole URL.
   */
  intercept?: InterceptRule[];
  /** Where the pkg files are served, relative to the worker (the Vite plugin sets it). */
  pkgUrlPrefixes?: string[];
  /** The pkg files are content-hashed (a build): a stored copy never needs revalidation. */
  pkgUrlsImmutable?: boolean;
  /** In a build, the pkg:// index relative to the worker: the worker maps pkg files' stable URLs with it. */
  pkgIndexUrl?: string;
}

const DEFAULT_MAX_CALL_MS = 5 * 60_000;
/** A port on which no request arrives holds the worker this long. */
const IDLE_SESSION_MS = 30_000;

/**
 * Installs the asset worker into a service worker's global scope. Call it during the worker
 * script's first evaluation (event listeners added later are ignored by the browser).
 */
export function installAssetWorker(scope: ServiceWorkerGlobalScope, options: AssetWorkerOptions = {}): void {
  const maxCallMs = options.maxCallMs ?? DEFAULT_MAX_CALL_MS;
  const version = options.version ?? "dev";
  let engine: FetchEngine | undefined;
  // Opened on first use: a worker woken for a precache fetch never touches IndexedDB.
  const getEngine = (): FetchEngine =>
    (engine ??= new FetchEngine({
      store: new IdbStore(),
      // Answers do not wait for IndexedDB to commit; each call's waitUntil covers its writes (flush below).
      writeBehind: true,
      ...(options.persistentCacheBytes === undefined ? {} : { budgetBytes: options.persistentCacheBytes }),
      ...(options.allowedOrigins === undefined ? {} : { allowedOrigins: [scope.location.origin, ...options.allowedOrigins] }),
    }));

  const workerUrl = scope.location.href;
  const pkgPrefixes = options.pkgUrlPrefixes ?? [];
  const intercept = options.intercept ?? [];
  const precached = (options.precache ?? []).map((entry) => entry.url);
  // A build maps the stable URLs `server.urlOf` gives before the page has the index.
  const stableUrls =
    options.pkgUrlsImmutable === true && options.pkgIndexUrl !== undefined
      ? new PkgStableUrls(workerUrl, new URL(options.pkgIndexUrl, workerUrl).href, async (url) => (await matchPrecache(url).catch(() => undefined)) ?? fetch(url))
      : null;
  const routedPrefixes = stableUrls === null ? pkgPrefixes : [...pkgPrefixes, stableUrls.prefix];
  const routes = staticRoutes({ workerUrl, pkgPrefixes: routedPrefixes, intercept, precached });
  // An updated worker takes over at once and controls the pages that are already open: pages
  // talk to it through per-call ports, so there is no state in the old worker to hand over.
  scope.addEventListener("install", (event: ExtendableEvent) => {
    void scope.skipWaiting();
    // Static routing (Chromium 123+): requests no rule of ours covers never start the worker.
    const install = event as ExtendableEvent & { addRoutes?(rules: unknown): Promise<void> };
    if (routes !== null && typeof install.addRoutes === "function") {
      try {
        event.waitUntil(install.addRoutes(routes).catch((error: unknown) => console.warn(`simvx-assets: static routes refused, every request reaches the worker: ${String(error)}`)));
      } catch (error) {
        console.warn(`simvx-assets: static routes refused, every request reaches the worker: ${String(error)}`);
      }
    }
  });
  clientsClaim();

  if (options.precache && options.precache.length > 0) {
    // Navigations to "/" match "/index.html" (workbox's directoryIndex). Registered before the
    // page-request handler below, so the app shell is always workbox's to answer.
    precacheAndRoute(options.precache);
  }

  const router = new PageRequestRouter({
    workerUrl,
    allowedOrigins: options.allowedOrigins === undefined ? null : originSet([scope.location.origin, ...options.allowedOrigins]),
    pkgPrefixes,
    pkgImmutable: options.pkgUrlsImmutable === true,
    ...(stableUrls === null ? {} : { pkgStablePrefix: stableUrls.prefix }),
    intercept,
    precached,
    holds: (url) => {
      const known = engine?.holds(url);
      // The first request the rules leave out reads the store's index; until then, the network.
      if (known === undefined) void startIndex();
      return known;
    },
  });
  let indexing: Promise<void> | undefined;
  const startIndex = (): Promise<void> => (indexing ??= Promise.resolve().then(() => getEngine().prepareIndex()).catch(() => (indexing = undefined)));
  scope.addEventListener("fetch", (event: FetchEvent) => {
    const route = router.route(event.request);
    if (route === null) return;
    let current: FetchEngine;
    try {
      current = getEngine();
    } catch {
      return; // no IndexedDB: the network answers as it would without us
    }
    const answer = (to: PageRoute): Promise<Response> =>
      answerPageRequest({
        engine: current,
        request: event.request,
        route: to,
        waitUntil: (work) => event.waitUntil(work.catch(() => undefined)),
        fetch: (request) => fetch(request),
      });
    const mapped = route.stable === true && stableUrls !== null ? stableUrls.resolve(route.url).then((url) => (url === null ? null : { ...route, url })) : Promise.resolve(route);
    const answered = mapped.then((to) => (to === null ? new Response(null, { status: 404, statusText: "Not Found" }) : answer(to))).catch(() => Response.error());
    try {
      event.respondWith(answered);
    } catch {
      return; // another handler (workbox) answered first
    }
    // What the engine fetched is stored behind the answer: keep the worker alive for it.
    event.waitUntil(answered.then(() => current.flush()));
  });

  const locks = (scope.navigator as Navigator & { locks?: LockManager }).locks ?? null;
  scope.addEventListener("message", (event: ExtendableMessageEvent) => {
    const wake = wakeOf(event, scope);
    if (!wake) return;
    const { port } = wake;
    if (wake.type === "simvx-assets:batch") {
      const session = new BatchSession(getEngine, port, wake.calls, { locks, heartbeat: wake.heartbeat, maxCallMs });
      port.addEventListener("message", (message: MessageEvent) => session.receive(message.data));
      port.start();
      // The engine stores behind its answers and coalesces last-use times; a stopped worker would
      // lose them, so finish them while the event still keeps the worker alive.
      event.waitUntil(session.run().finally(() => port.close()).then(() => engine?.flush()));
      return;
    }
    const session = new CallSession(getEngine, version);
    Comlink.expose(session, port);
    const timers: ReturnType<typeof setTimeout>[] = [];
    const ended = new Promise<void>((resolve) => {
      void session.done.then(resolve);
      timers.push(setTimeout(resolve, maxCallMs));
      // A port on which no request ever arrives (a page that navigated away at once).
      timers.push(
        setTimeout(() => {
          if (!session.started) resolve();
        }, IDLE_SESSION_MS),
      );
    });
    const call = runAsCall(port, { locks, heartbeat: wake.heartbeat === true }, () => ended);
    event.waitUntil(
      call.then(() => {
        timers.forEach(clearTimeout);
        port.close();
        return engine?.flush();
      }),
    );
  });
}

type Wake = WakeMessage | BatchWakeMessage;

/** A wake message from one of our own pages, with its port; anything else is ignored. */
function wakeOf(event: ExtendableMessageEvent, scope: ServiceWorkerGlobalScope): Wake | null {
  const data = event.data as Partial<Wake> | null;
  if (typeof data !== "object" || data === null) return null;
  if (data.type !== "simvx-assets:call" && data.type !== "simvx-assets:batch") return null;
  if (!(data.port instanceof MessagePort)) return null;
  // Only windows of our own origin may use the cache and the network through us: not another
  // worker, not a page that merely shares a message channel.
  const fromOwnWindow = event.source instanceof WindowClient && event.origin === scope.location.origin;
  if (!fromOwnWindow) {
    data.port.close();
    return null;
  }
  if (data.type === "simvx-assets:batch") {
    return { type: data.type, port: data.port, calls: Array.isArray(data.calls) ? data.calls : [], heartbeat: data.heartbeat === true };
  }
  return { type: "simvx-assets:call", port: data.port, heartbeat: data.heartbeat === true };
}
