import * as Comlink from "comlink";
import type { FetchEngine } from "../src/engine/FetchEngine.js";
import type { AssetWorkerApi, CacheStats, Result } from "../src/kernel/protocol.js";

/**
 * The worker's side of ONE control call (invalidate, clear, stats, ping) through comlink on a
 * fresh port: `done` settles once that call has been answered, so the `message` event that
 * brought the port keeps the worker alive exactly that long. HTTP reads go in batches instead
 * (`BatchSession`).
 */
export class CallSession implements AssetWorkerApi {
  readonly done: Promise<void>;
  readonly #engine: () => FetchEngine;
  readonly #version: string;
  #finish!: () => void;
  #started = false;

  constructor(engine: () => FetchEngine, version: string) {
    this.#engine = engine;
    this.#version = version;
    this.done = new Promise((resolve) => (this.#finish = resolve));
  }

  /** Whether the page's call has arrived. */
  get started(): boolean {
    return this.#started;
  }

  invalidate(url: string): Promise<Result<void>> {
    return this.#main(() => this.#engine().invalidate(url), typeof url === "string" ? url : "");
  }

  clear(): Promise<Result<void>> {
    return this.#main(() => this.#engine().clear(), "");
  }

  stats(): Promise<Result<CacheStats>> {
    return this.#main(() => this.#engine().stats(), "");
  }

  ping(): Promise<Result<{ version: string }>> {
    return this.#main(async () => ({ ok: true, value: { version: this.#version } }), "");
  }

  /** Called by comlink when the page releases its proxy: the call is over, whatever it was. */
  [Comlink.finalizer](): void {
    this.#finish();
  }

  #main<T>(work: () => Promise<Result<T>>, uri: string): Promise<Result<T>> {
    this.#started = true;
    // The engine answers with data; anything thrown (opening IndexedDB, say) still goes back as
    // data, since a thrown value would look to the page like a broken worker.
    const answer = Promise.resolve()
      .then(work)
      .catch((error: unknown): Result<T> => ({
        ok: false,
        error: { code: "NETWORK", message: `the asset worker failed: ${String(error)}`, uri, cause: String(error) },
      }));
    // Settle `done` only after comlink has posted the answer (it does so in a later microtask).
    void answer.finally(() => setTimeout(() => this.#finish(), 0));
    return answer;
  }
}
