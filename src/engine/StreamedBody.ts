import { sha256Integrity } from "../kernel/verifyIntegrity.js";
import { assetFailure } from "./assetFailure.js";
import { joinChunks } from "./bodyChunks.js";

/** Where a streamed body's bytes are stored as they arrive (`StreamedEntryWriter`). */
export interface BodySink {
  /** Takes `chunk`, copied before this returns; resolves once the store is ready for more. */
  write(chunk: Uint8Array): Promise<void>;
  /** The body is complete; `wholeSha256` is its SHA-256 when a caller collected it whole. */
  close(wholeSha256: string | null): Promise<void>;
  abandon(): void;
}

export interface StreamedBodyOptions {
  url: string;
  body: ReadableStream<Uint8Array>;
  /** Content-Length when it counts decoded bytes, else null. */
  expectedBytes: number | null;
  maxBytes?: number;
  stallTimeoutMs?: number;
  /** Called on every chunk from the network (see `AttemptRequest.origin`). */
  onChunk?(): void;
  onProgress(loaded: number, total: number | null): void;
  sink: BodySink | null;
}

/** What a caller that needs the whole body gets: the bytes, and their SHA-256 (`sha256-<base64>`). */
export interface CollectedBody {
  bytes: Uint8Array;
  sha256: string;
}

interface Collector {
  chunks: Uint8Array[];
  resolve(body: CollectedBody): void;
  reject(error: unknown): void;
}

/**
 * One network body, handed on as it arrives: to each page answer as a stream of its own (read at
 * the pace of the page: a chunk is read from the network when a page wants one), to each caller
 * that needs it whole (a `load()` sharing the request), and to the store. Once no page reads and no
 * caller waits, the network read stops and the store write is abandoned.
 */
export class StreamedBody {
  /** Settles once the body has ended, failed or been abandoned, and the store write with it. Never rejects. */
  readonly settled: Promise<void>;
  private readonly pages = new Set<ReadableStreamDefaultController<Uint8Array>>();
  private readonly collectors = new Set<Collector>();
  private attachable = true;
  private wake: (() => void) | null = null;
  private reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
  /** Everyone left: the network read was cancelled, and what it returns is not the body's end. */
  private deserted = false;

  constructor(private readonly options: StreamedBodyOptions) {
    this.settled = this.run();
  }

  get expectedBytes(): number | null {
    return this.options.expectedBytes;
  }

  /** The whole body as a stream for one page answer; null once reading has begun (a part would be missing). */
  open(): ReadableStream<Uint8Array> | null {
    if (!this.attachable) return null;
    let own: ReadableStreamDefaultController<Uint8Array> | undefined;
    return new ReadableStream<Uint8Array>({
      start: (controller) => {
        own = controller;
        this.pages.add(controller);
      },
      pull: () => this.wake?.(),
      cancel: () => {
        if (own !== undefined) this.pages.delete(own);
        this.left();
      },
    });
  }

  /** The whole body, for a caller that needs it whole; null once reading has begun. */
  collect(signal: AbortSignal): Promise<CollectedBody> | null {
    if (!this.attachable) return null;
    return new Promise<CollectedBody>((resolve, reject) => {
      const collector: Collector = { chunks: [], resolve, reject };
      this.collectors.add(collector);
      signal.addEventListener(
        "abort",
        () => {
          if (!this.collectors.delete(collector)) return;
          reject(assetFailure("CANCELLED", this.options.url, "cancelled"));
          this.left();
        },
        { once: true },
      );
    });
  }

  private async run(): Promise<void> {
    const { url, expectedBytes, maxBytes, sink } = this.options;
    // Every caller of the shared request gets this object in the same round of microtasks: the
    // first read waits for the next task, so all of them are attached and none misses a chunk.
    await new Promise((resolve) => setTimeout(resolve, 0));
    this.attachable = false;
    const reader = (this.reader = this.options.body.getReader());
    let loaded = 0;
    try {
      for (;;) {
        if (this.pages.size === 0 && this.collectors.size === 0) throw assetFailure("CANCELLED", url, "no one reads the body");
        if (this.collectors.size === 0 && ![...this.pages].some((page) => (page.desiredSize ?? 0) > 0)) {
          await new Promise<void>((resolve) => (this.wake = resolve));
          this.wake = null;
          continue;
        }
        const { done, value } = await this.read(reader);
        if (this.deserted) throw assetFailure("CANCELLED", url, "no one reads the body");
        if (done) break;
        this.options.onChunk?.();
        loaded += value.length;
        if (maxBytes !== undefined && loaded > maxBytes) throw assetFailure("TOO_LARGE", url, `asset is larger than allowed (${maxBytes} bytes)`);
        const stored = sink?.write(value);
        this.handOn(value);
        this.options.onProgress(loaded, expectedBytes);
        await stored;
      }
      if (expectedBytes !== null && loaded < expectedBytes) throw assetFailure("NETWORK", url, `truncated response (${loaded} of ${expectedBytes} bytes)`);
    } catch (error) {
      reader.cancel().catch(() => undefined);
      sink?.abandon();
      for (const page of this.pages) page.error(error);
      for (const collector of this.collectors) collector.reject(error);
      this.pages.clear();
      this.collectors.clear();
      await sink?.close(null);
      return;
    }
    for (const page of this.pages) page.close();
    this.pages.clear();
    const collectors = [...this.collectors];
    this.collectors.clear();
    if (collectors.length === 0) return sink?.close(null);
    // The first caller's own chunks: pages got copies of them, and the store copies what it takes.
    const bytes = joinChunks(collectors[0]!.chunks, loaded);
    // Hashed before it is handed on: a caller may transfer its bytes away at once.
    const sha256 = await sha256Integrity(bytes);
    collectors.forEach((collector, i) => collector.resolve({ bytes: i === 0 ? bytes : bytes.slice(), sha256 }));
    await sink?.close(sha256);
  }

  /** A page or a caller went. If it was the last, the network read stops now, even one waiting for a slow server. */
  private left(): void {
    this.wake?.();
    if (this.pages.size > 0 || this.collectors.size > 0 || this.reader === null) return;
    this.deserted = true;
    this.reader.cancel().catch(() => undefined);
  }

  /** `chunk` to every reader: one may keep the array itself, the others get copies (a page's consumer may transfer it). */
  private handOn(chunk: Uint8Array): void {
    for (const collector of this.collectors) collector.chunks.push(chunk);
    let own = this.collectors.size === 0;
    for (const page of this.pages) {
      page.enqueue(own ? chunk : chunk.slice());
      own = false;
    }
  }

  /** One network read, with the stall watchdog: while no page asks for more, the network is not waited on. */
  private async read(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<ReadableStreamReadResult<Uint8Array>> {
    const stallMs = this.options.stallTimeoutMs;
    if (stallMs === undefined) return reader.read();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stalled = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(assetFailure("TIMEOUT", this.options.url, `no data for ${stallMs} ms`)), stallMs);
    });
    try {
      return await Promise.race([reader.read(), stalled]);
    } finally {
      clearTimeout(timer);
    }
  }
}
