import type { CacheStats, HttpBackend, ServedFrom } from "../src/index.js";
import { Signal } from "../src/index.js";

/** One HTTP read as the backend answered it. */
export interface BackendRead {
  url: string;
  servedFrom: ServedFrom;
  /** Bytes that crossed the network for this read (0 for a 304 or a cached copy). */
  networkBytes: number;
}

type FetchArgs = Parameters<HttpBackend["fetch"]>;

/**
 * Wraps the asset server's HTTP backend to count what came over the network, for the dev panel.
 * A decorator, so the library needs no hooks for it.
 */
export class CountingBackend implements HttpBackend {
  readonly reads = new Signal<BackendRead>();
  networkBytes = 0;
  networkReads = 0;

  constructor(private readonly inner: HttpBackend) {}

  get kind(): HttpBackend["kind"] {
    return this.inner.kind;
  }

  async fetch(...[request, ctx]: FetchArgs): ReturnType<HttpBackend["fetch"]> {
    const outcome = await this.inner.fetch(request, ctx);
    const networkBytes = outcome.kind === "bytes" && outcome.servedFrom === "network" ? outcome.bytes.byteLength : 0;
    if (networkBytes > 0) {
      this.networkBytes += networkBytes;
      this.networkReads += 1;
    }
    this.reads.emit({ url: request.url, servedFrom: outcome.servedFrom, networkBytes });
    return outcome;
  }

  invalidate(url: string): Promise<void> {
    return this.inner.invalidate(url);
  }

  clear(): Promise<void> {
    return this.inner.clear();
  }

  stats(): Promise<CacheStats> {
    return this.inner.stats();
  }

  dispose(): void {
    this.inner.dispose();
  }
}
