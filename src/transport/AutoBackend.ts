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

  async stats(): Promise<CacheStats> {
    const current = this.#current();
    const stats = await current.stats();
    if (current === this.#inPage) return stats;
    // A first visit loads in the page before the worker takes over: the requests and files it
    // counted belong to this page's story too (the store and its budget are the worker's answer).
    const inPage = await this.#inPage.stats().catch(() => null);
    if (inPage === null) return stats;
    const sum = (a: number | undefined, b: number | undefined): number | undefined => (a === undefined && b === undefined ? undefined : (a ?? 0) + (b ?? 0));
    const requests = sum(stats.requests, inPage.requests);
    const files = sum(stats.files, inPage.files);
    return { ...stats, ...(requests === undefined ? {} : { requests }), ...(files === undefined ? {} : { files }) };
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
