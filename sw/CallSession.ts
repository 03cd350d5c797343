import * as Comlink from "comlink";
import type { FetchEngine } from "../src/engine/FetchEngine.js";
import type { AssetWorkerApi, CacheStats, HttpOutcome, HttpRequest, ProgressMessage, ProgressReport, Result, RetryNotice } from "../src/protocol.js";

const PROGRESS_QUIET_MS = 100;

/**
 * The worker's side of ONE call: the page sends one request on a fresh port (plus pings and maybe
 * an `abort`), and `done` settles once that request has been answered, so the `message` event
 * that brought the port can keep the worker alive exactly that long.
 */
export class CallSession implements AssetWorkerApi {
  readonly done: Promise<void>;
  readonly #engine: () => FetchEngine;
  readonly #version: string;
  readonly #port: Pick<MessagePort, "postMessage">;
  readonly #now: () => number;
  readonly #abort = new AbortController();
  #finish!: () => void;
  #started = false;

  /** `port` is the call's port: progress reports go there as `ProgressMessage`s, beside comlink's messages. */
  constructor(engine: () => FetchEngine, version: string, port: Pick<MessagePort, "postMessage">, now: () => number = Date.now) {
    this.#engine = engine;
    this.#version = version;
    this.#port = port;
    this.#now = now;
    this.done = new Promise((resolve) => (this.#finish = resolve));
  }

  fetch(request: HttpRequest): Promise<Result<HttpOutcome>> {
    // A report costs a message to the page. Most loads (a small asset) are answered within a few
    // milliseconds, and the answer says all a report would: so none goes in a call's first
    // PROGRESS_QUIET_MS, then at most one per PROGRESS_QUIET_MS. The latest report held back goes
    // when the period ends (a stalled transfer still shows how far it got) unless the answer went first.
    let last: ProgressReport = { loaded: 0, total: null };
    let held = false;
    let answered = false;
    let nextPostAt = this.#now() + PROGRESS_QUIET_MS;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const post = (): void => {
      clearTimeout(timer);
      timer = undefined;
      if (answered || !held) return;
      held = false;
      nextPostAt = this.#now() + PROGRESS_QUIET_MS;
      this.#post(last);
    };
    const report = (loaded: number, total: number | null): void => {
      last = { loaded, total };
      held = true;
      const wait = nextPostAt - this.#now();
      if (wait <= 0) post();
      else timer ??= setTimeout(post, wait);
    };
    // Retries travel as progress reports, so they too cost one message and no answer.
    const onRetry = (notice: RetryNotice): void => this.#post({ ...last, retry: notice });
    const work = async (): Promise<Result<HttpOutcome>> => {
      try {
        const result = await this.#engine().request(request, { signal: this.#abort.signal, onProgress: report, onRetry });
        // The engine never shares one caller's bytes with another, so they can move to the page.
        return result.ok && result.value.kind === "bytes" ? Comlink.transfer(result, [result.value.bytes.buffer]) : result;
      } finally {
        answered = true;
        clearTimeout(timer);
      }
    };
    return this.#main(work, typeof request?.url === "string" ? request.url : "");
  }

  /** Whether the page's request has arrived. */
  get started(): boolean {
    return this.#started;
  }

  abort(): void {
    this.#abort.abort();
  }

  invalidate(url: string): Promise<Result<void>> {
    return this.#main(() => this.#engine().invalidate(url), url);
  }

  clear(): Promise<Result<void>> {
    return this.#main(() => this.#engine().clear(), "");
  }

  stats(): Promise<Result<CacheStats>> {
    return this.#main(() => this.#engine().stats(), "");
  }

  ping(): Promise<Result<{ version: string }>> {
    const answer: Result<{ version: string }> = { ok: true, value: { version: this.#version } };
    // A ping as the first message is the call itself (the page asks which worker runs); later
    // pings are the page's heartbeat during a long call.
    return this.#started ? Promise.resolve(answer) : this.#main(async () => answer, "");
  }

  /** Called by comlink when the page releases its proxy: the call is over, whatever it was. */
  [Comlink.finalizer](): void {
    this.#abort.abort();
    this.#finish();
  }

  #post(report: ProgressReport): void {
    const message: ProgressMessage = { type: "simvx-assets:progress", report };
    this.#port.postMessage(message);
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
