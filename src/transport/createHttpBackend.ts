import { appBaseUrl } from "../platform/appBase.js";
import { FetchEngine } from "../engine/FetchEngine.js";
import { IdbStore } from "../engine/IdbStore.js";
import { MemoryStore } from "../engine/MemoryStore.js";
import { AutoBackend } from "./AutoBackend.js";
import type { HttpBackend } from "../kernel/HttpBackend.js";
import { InPageBackend } from "./InPageBackend.js";
import { ServiceWorkerBackend } from "./ServiceWorkerBackend.js";

export interface CreateHttpBackendOptions {
  backend: "auto" | "service-worker" | "in-page";
  /** null: `<app base>asset-sw.js` (see `AssetServerOptions.serviceWorkerUrl`). */
  serviceWorkerUrl: string | null;
  /** Byte budget of the page's own persistent cache (the worker's is set where it is installed). */
  persistentCacheBytes?: number;
  environment: "browser" | "node";
  /** Origins the page's own engine may fetch from (the worker's are set where it is installed). */
  allowedOrigins?: readonly string[];
}

/** How long a "service-worker" backend's first call waits for the fresh worker to claim the page. */
const CONTROL_WAIT_MS = 3_000;

/** The HTTP backend an `AssetServer` uses, from its options. */
export function createHttpBackend(options: CreateHttpBackendOptions): HttpBackend {
  if (options.environment === "node") return inPageBackend(options, false);
  const container = serviceWorkerContainer();
  if (options.backend === "in-page") return inPageBackend(options, true);
  const registered = register(container, options.serviceWorkerUrl);
  if (options.backend === "service-worker") {
    return new ServiceWorkerBackend({ container, registered, controlWaitMs: CONTROL_WAIT_MS });
  }
  // A failed registration leaves the page uncontrolled, so "auto" stays in-page: worth a word
  // in the console, never a failed load.
  registered.catch((error: unknown) => console.warn(`simvx-assets: service worker not registered, loading in the page: ${String(error)}`));
  return new AutoBackend(inPageBackend(options, true), container, () => new ServiceWorkerBackend({ container, registered }));
}

function inPageBackend(options: CreateHttpBackendOptions, browser: boolean): HttpBackend {
  // The page and the worker open the same IndexedDB database, so what one stored the other serves.
  const store = browser && typeof indexedDB !== "undefined" ? new IdbStore() : new MemoryStore();
  return new InPageBackend(
    new FetchEngine({
      store,
      ...(options.persistentCacheBytes === undefined ? {} : { budgetBytes: options.persistentCacheBytes }),
      ...(options.allowedOrigins === undefined ? {} : { allowedOrigins: options.allowedOrigins }),
    }),
  );
}

/** `navigator.serviceWorker`, which is missing outside secure contexts and in some private modes. */
function serviceWorkerContainer(): ServiceWorkerContainer | null {
  return typeof navigator !== "undefined" && "serviceWorker" in navigator ? navigator.serviceWorker : null;
}

function register(container: ServiceWorkerContainer | null, url: string | null): Promise<ServiceWorkerRegistration> {
  if (!container) return Promise.reject(new Error("no service worker support in this context"));
  // The registration call itself can throw synchronously in some sandboxed frames.
  return Promise.resolve().then(() => {
    const { scriptUrl, scope } = workerLocation(url);
    return container.register(scriptUrl, { scope });
  });
}

/**
 * The worker's script and scope. A game served from a sub-path (`/games/dusk/`) is controlled by a
 * worker at `/games/dusk/asset-sw.js` with that scope (issue 12); a fixed `/` scope would need the
 * server's `Service-Worker-Allowed` header, which a static host does not send.
 */
export function workerLocation(url: string | null, base: string | null = appBaseUrl(), page: string = globalThis.location?.href ?? "http://localhost/"): { scriptUrl: string; scope: string } {
  const root = base ?? new URL("/", page).href;
  const scriptUrl = new URL(url ?? "asset-sw.js", root).href;
  const scope = scriptUrl.startsWith(root) ? root : new URL("./", scriptUrl).href;
  return { scriptUrl, scope };
}
