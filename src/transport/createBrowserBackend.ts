import { FetchEngine, type FetchEngineOptions } from "../engine/FetchEngine.js";
import { IdbStore } from "../engine/IdbStore.js";
import { MemoryStore } from "../engine/MemoryStore.js";
import type { HttpBackend } from "../kernel/HttpBackend.js";
import { AutoBackend } from "./AutoBackend.js";
import { InPageBackend } from "./InPageBackend.js";
import { ServiceWorkerBackend } from "./ServiceWorkerBackend.js";

export interface BrowserBackendOptions {
  backend: "auto" | "service-worker" | "in-page";
  /** `navigator.serviceWorker`, or null where there is none (not a secure context, some private modes). */
  container: ServiceWorkerContainer | null;
  /** "service-worker": the registration its calls wait for. */
  registered?: Promise<unknown>;
  /** Budget and origins of the page's own engine (the worker's come from where it is installed). */
  engine?: Pick<FetchEngineOptions, "budgetBytes" | "allowedOrigins">;
}

/** How long a "service-worker" backend's first call waits for the fresh worker to claim the page. */
const CONTROL_WAIT_MS = 3_000;

/** The HTTP backend of a page: the asset worker, the in-page engine, or the first while one controls the page. */
export function createBrowserBackend(options: BrowserBackendOptions): HttpBackend {
  const { container } = options;
  if (options.backend === "service-worker") {
    return new ServiceWorkerBackend({ container, controlWaitMs: CONTROL_WAIT_MS, ...(options.registered ? { registered: options.registered } : {}) });
  }
  // The page and the worker open the same IndexedDB database, so what one stored the other serves;
  // where IndexedDB is missing (some private modes), the page keeps its copies in memory.
  const store = typeof indexedDB === "undefined" ? new MemoryStore() : new IdbStore();
  const inPage = new InPageBackend(new FetchEngine({ store, ...options.engine }));
  if (options.backend === "in-page") return inPage;
  return new AutoBackend(inPage, container, () => new ServiceWorkerBackend({ container }));
}
