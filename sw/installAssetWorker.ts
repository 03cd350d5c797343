import * as Comlink from "comlink";
import { clientsClaim } from "workbox-core";
import { precacheAndRoute } from "workbox-precaching";
import { FetchEngine } from "../src/engine/FetchEngine.js";
import { IdbStore } from "../src/engine/IdbStore.js";
import type { BatchWakeMessage, WakeMessage } from "../src/kernel/protocol.js";
import { BatchSession } from "./BatchSession.js";
import { CallSession } from "./CallSession.js";
import { runAsCall } from "./runAsCall.js";
import { WORKER_PROGRESS_PACING } from "./workerProgressPacing.js";

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
      progress: WORKER_PROGRESS_PACING,
      ...(options.persistentCacheBytes === undefined ? {} : { budgetBytes: options.persistentCacheBytes }),
      ...(options.allowedOrigins === undefined ? {} : { allowedOrigins: [scope.location.origin, ...options.allowedOrigins] }),
    }));

  // An updated worker takes over at once and controls the pages that are already open: pages
  // talk to it through per-call ports, so there is no state in the old worker to hand over.
  scope.addEventListener("install", () => void scope.skipWaiting());
  clientsClaim();

  if (options.precache && options.precache.length > 0) {
    // Navigations to "/" match "/index.html" (workbox's directoryIndex); every other request is
    // left to the network.
    precacheAndRoute(options.precache);
  }

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
