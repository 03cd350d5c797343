import * as Comlink from "comlink";
import { clientsClaim } from "workbox-core";
import { runningBuildsIn } from "../src/engine/buildLocks.js";
import { FetchEngine } from "../src/engine/FetchEngine.js";
import { IdbStore } from "../src/engine/IdbStore.js";
import { originSet } from "../src/engine/requestUrl.js";
import type { BatchWakeMessage, WakeMessage } from "../src/kernel/protocol.js";
import { answerPageRequest } from "./answerPageRequest.js";
import { BatchSession } from "./BatchSession.js";
import { BuildRecords } from "./BuildRecords.js";
import { CallSession } from "./CallSession.js";
import { completeBuild } from "./completeBuild.js";
import { handleUpdateMessage } from "./handleUpdateMessage.js";
import { type InterceptRule, PageRequestRouter, type PageRoute } from "./PageRequestRouter.js";
import { PkgStableUrls } from "./PkgStableUrls.js";
import { pruneBuilds } from "./pruneBuilds.js";
import { runAsCall } from "./runAsCall.js";
import { staticRoutes } from "./staticRoutes.js";
import { WORKER_PROGRESS_PACING } from "./workerProgressPacing.js";
import type { PrecacheEntry } from "./PrecacheEntry.js";
import { ShellPrecache } from "./ShellPrecache.js";

export type { PrecacheEntry } from "./PrecacheEntry.js";

/** The build a worker serves: the Vite plugin sets it from the pkg index it emitted. */
export interface WorkerBuild {
  /** The build id stamped into the pkg index. */
  id: string;
  /** The pkg index among the precached files, relative to the worker script. */
  index: string;
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
   * The build this worker serves. With it, a new worker keeps its build complete and waits for
   * the page's `applyUpdate()` to take over (README, "Deploying"); without it (dev, no pkg index)
   * a new worker takes over as soon as it is installed.
   */
  build?: WorkerBuild;
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
 * A page asks for a prune as it starts, often right after the page it replaced went (a reload):
 * the browser releases that page's build lock shortly after, so the prune looks a moment later.
 */
const PRUNE_DELAY_MS = 1_000;

/**
 * Installs the asset worker into a service worker's global scope. Call it during the worker
 * script's first evaluation (event listeners added later are ignored by the browser).
 */
export function installAssetWorker(scope: ServiceWorkerGlobalScope, options: AssetWorkerOptions = {}): void {
  const maxCallMs = options.maxCallMs ?? DEFAULT_MAX_CALL_MS;
  const version = options.version ?? "dev";
  let store: IdbStore | undefined;
  let engine: FetchEngine | undefined;
  // Opened on first use: a worker woken for a precache fetch never touches IndexedDB.
  const getStore = (): IdbStore => (store ??= new IdbStore());
  const getEngine = (): FetchEngine =>
    (engine ??= new FetchEngine({
      store: getStore(),
      // Answers do not wait for IndexedDB to commit; each call's waitUntil covers its writes (flush below).
      writeBehind: true,
      progress: WORKER_PROGRESS_PACING,
      ...(options.persistentCacheBytes === undefined ? {} : { budgetBytes: options.persistentCacheBytes }),
      ...(options.allowedOrigins === undefined ? {} : { allowedOrigins: [scope.location.origin, ...options.allowedOrigins] }),
    }));
  const locks = (scope.navigator as Navigator & { locks?: LockManager }).locks ?? null;
  const build = options.build === undefined ? null : { id: options.build.id, indexUrl: new URL(options.build.index, scope.location.href).href };
  const records = build === null ? null : new BuildRecords();
  const precache = options.precache ?? [];
  const shell =
    precache.length === 0
      ? null
      : new ShellPrecache(precache, scope.location.origin, records && build ? async () => new Map((await records.list(build.indexUrl)).flatMap((record) => record.shell)) : null);

  const workerUrl = scope.location.href;
  const pkgPrefixes = options.pkgUrlPrefixes ?? [];
  const intercept = options.intercept ?? [];
  const precached = precache.map((entry) => entry.url);
  // A build maps the stable URLs `server.urlOf` gives before the page has the index.
  const stableUrls =
    options.pkgUrlsImmutable === true && options.pkgIndexUrl !== undefined
      ? new PkgStableUrls(workerUrl, new URL(options.pkgIndexUrl, workerUrl).href, async (url) => (await shell?.match(url).catch(() => undefined)) ?? fetch(url))
      : null;
  const routedPrefixes = stableUrls === null ? pkgPrefixes : [...pkgPrefixes, stableUrls.prefix];
  const routes = staticRoutes({ workerUrl, pkgPrefixes: routedPrefixes, intercept, precached });

  // Without a build (dev, an app without a pkg index), an updated worker takes over at once: pages
  // talk to it through per-call ports and keep no state in it. A build's worker waits until a
  // page's applyUpdate() has stored the new build and asks it to (`simvx-assets:activate`): taking
  // over on its own, it would serve a new shell to an offline reload before the new pkg files are
  // stored (README, "Deploying"). Its install completes the build, so once every tab is closed
  // the browser can let it take over safely too.
  scope.addEventListener("install", (event) => {
    if (build === null) void scope.skipWaiting();
    // Static routing (Chromium 123+): requests no rule of ours covers never start the worker.
    const install = event as ExtendableEvent & { addRoutes?(rules: unknown): Promise<void> };
    if (routes !== null && typeof install.addRoutes === "function") {
      try {
        event.waitUntil(install.addRoutes(routes).catch((error: unknown) => console.warn(`simvx-assets: static routes refused, every request reaches the worker: ${String(error)}`)));
      } catch (error) {
        console.warn(`simvx-assets: static routes refused, every request reaches the worker: ${String(error)}`);
      }
    }
    const updating = scope.registration.active !== null;
    const shellStored = shell === null ? Promise.resolve() : shell.install(event);
    if (build === null || records === null || shell === null) return;
    event.waitUntil(
      shellStored.then(async () => {
        const index = await (await shell.match(build.indexUrl))?.json();
        await completeBuild({
          build: build.id,
          indexUrl: build.indexUrl,
          index,
          shell: shell.cacheKeys(),
          records,
          store: getStore(),
          engine: getEngine,
          locks,
          updating,
          now: Date.now,
        });
        // A new worker of the build every open page runs (only the worker script changed) breaks
        // nothing by taking over: it serves those pages the same shell and files.
        if (updating && locks !== null) {
          const running = runningBuildsIn(((await locks.query()).held ?? []).map((lock) => lock.name), build.indexUrl);
          if (running.size > 0 && [...running].every((id) => id === build.id)) await scope.skipWaiting();
        }
      }),
    );
  });
  // Pages that opened before the first worker was active (a first visit) are controlled at once.
  clientsClaim();

  let prunes: Promise<unknown> = Promise.resolve();
  const prune = (delayMs: number): Promise<unknown> => {
    const run = async (): Promise<unknown> => {
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      if (shell === null) return null;
      if (build === null || records === null) return shell.prune(new Set());
      return pruneBuilds({
        indexUrl: build.indexUrl,
        ownBuild: build.id,
        records,
        locks,
        dropFiles: async (urls) => {
          for (const url of urls) await getEngine().invalidate(url);
        },
        pruneShell: (keep) => shell.prune(keep),
      });
    };
    // One at a time: two tabs starting together ask twice.
    prunes = prunes.then(run, run);
    return prunes;
  };
  scope.addEventListener("activate", (event) => event.waitUntil(prune(0).catch(() => undefined)));
  // The app shell first: its files are always the precache's to answer.
  if (shell !== null) scope.addEventListener("fetch", (event) => shell.handleFetch(event));

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
    const hashed = route.stable === true && stableUrls !== null ? stableUrls.resolve(route.url).then((url) => (url === null ? null : { ...route, url })) : Promise.resolve(route);
    const mapped = stableUrls === null ? hashed : hashed.then((to) => (to === null ? null : stableUrls.withIntegrity(to)));
    const answered = mapped.then((to) => (to === null ? new Response(null, { status: 404, statusText: "Not Found" }) : answer(to))).catch(() => Response.error());
    try {
      event.respondWith(answered);
    } catch {
      return; // another handler (the app shell's) answered first
    }
    // What the engine fetched is stored behind the answer: keep the worker alive for it.
    event.waitUntil(answered.then(() => current.flush()));
  });

  scope.addEventListener("message", (event: ExtendableMessageEvent) => {
    const update = { build: build?.id ?? null, activate: () => scope.skipWaiting(), prune: () => prune(PRUNE_DELAY_MS) };
    if (handleUpdateMessage(event, scope, update)) return;
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
