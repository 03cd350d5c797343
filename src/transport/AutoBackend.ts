import type { CacheStats, HttpOutcome, HttpRequest } from "../kernel/protocol.js";
import type { HttpBackend, HttpCallContext } from "../kernel/HttpBackend.js";

/**
 * `backend: "auto"`: the in-page engine while no service worker controls the page (a first
 * visit, a hard reload, no service worker support, a failed registration), the worker from the
 * moment one does. Both engines use the same IndexedDB store, so switching loses nothing; a
 * call already running finishes where it started.
 */
export class AutoBackend implements HttpBackend {
  readonly #inPage: HttpBackend;
  readonly #container: ServiceWorkerContainer | null;
  readonly #createWorkerBackend: () => HttpBackend;
  #worker: HttpBackend | null = null;

  /**
   * @param container `navigator.serviceWorker`, or null where there is none.
   * @param createWorkerBackend builds the worker backend the first time a worker controls the page.
   */
  constructor(inPage: HttpBackend, container: ServiceWorkerContainer | null, createWorkerBackend: () => HttpBackend) {
    this.#inPage = inPage;
    this.#container = container;
    this.#createWorkerBackend = createWorkerBackend;
  }

  get kind(): "service-worker" | "in-page" {
    return this.#current().kind;
  }

  fetch(request: HttpRequest, ctx: HttpCallContext): Promise<HttpOutcome> {
    return this.#current().fetch(request, ctx);
  }

  invalidate(url: string): Promise<void> {
    return this.#current().invalidate(url);
  }

  clear(): Promise<void> {
    return this.#current().clear();
  }

  stats(): Promise<CacheStats> {
    return this.#current().stats();
  }

  dispose(): void {
    this.#worker?.dispose();
    this.#inPage.dispose();
  }

  #current(): HttpBackend {
    // Read on every call, which also covers `controllerchange`: the worker's `clients.claim()`
    // sets it in the middle of a page's life.
    if (!this.#container?.controller) return this.#inPage;
    return (this.#worker ??= this.#createWorkerBackend());
  }
}
