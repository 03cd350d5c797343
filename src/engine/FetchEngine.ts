import type { CacheStats, HttpOutcome, HttpRequest, Result, RetryNotice, ServedFrom } from "../kernel/protocol.js";
import { CacheWriter } from "./CacheWriter.js";
import { cacheControlFor, freshUntilFrom, isFresh, isStorable, metaVersion, versionOf } from "./cachePolicy.js";
import { IdleGate } from "./IdleGate.js";
import { conditionalHeaders, matchesValidator } from "./conditionalHeaders.js";
import { AssetError } from "../kernel/AssetError.js";
import { assetFailure } from "./assetFailure.js";
import { fetchWithRetries } from "./fetchWithRetries.js";
import type { NetworkConfig, RetryEvent } from "./fetchWithRetries.js";
import type { AttemptResult } from "./httpAttempt.js";
import type { BodyObserver } from "./readBody.js";
import { BatchedLookup } from "./BatchedLookup.js";
import { PackReader, type PackRequest } from "./PackReader.js";
import type { BodyHeaders, PageAnswer } from "./PageAnswer.js";
import { BODY_CHUNK_BYTES, type EntryMeta, type PersistentStore, type StoredCopy } from "./PersistentStore.js";
import { StreamedBody } from "./StreamedBody.js";
import { StreamedEntryWriter } from "./StreamedEntryWriter.js";
import { StoredBodies } from "./StoredBodies.js";
import { PendingWrites } from "./PendingWrites.js";
import { chunkHashes, networkCacheControl, pinnedBy, servesStale, sharingKey } from "./requestRules.js";
import { type ProgressCallback, ProgressPacer, type ProgressPacing } from "./ProgressPacer.js";
import { cacheKeyOf, checkedRequestUrl, normalisedOrigin, originSet } from "./requestUrl.js";
import { DEFAULT_RETRY_TIMING, isRetryable } from "./retryPolicy.js";
import type { RetryTiming } from "./retryPolicy.js";
import { SharedRequests } from "./SharedRequests.js";
import { sha256Integrity, sha256Keys, sha256Satisfies, verifyIntegrity } from "../kernel/verifyIntegrity.js";

export type { RetryEvent };

const DEFAULT_PERSISTENT_CACHE_BYTES = 512 * 2 ** 20;
/** With `writeBehind`, how many bytes of fetched bodies may wait for the requests in flight to end before being stored. */
const MAX_HELD_WRITE_BYTES = 32 * 2 ** 20;

export interface FetchEngineOptions {
  store: PersistentStore;
  fetch?: typeof fetch;
  /** Byte budget of the persistent cache (LRU eviction past it). Default 512 MiB. */
  budgetBytes?: number;
  /** Epoch ms; for freshness and LRU order. */
  now?: () => number;
  /** When given, only URLs of these origins are fetched (`https://cdn.example.com`). */
  allowedOrigins?: readonly string[];
  onRetry?: (event: RetryEvent) => void;
  retryTiming?: Partial<RetryTiming>;
  /**
   * The origin the engine runs on (default: `location.origin`; none in Node, where there is no
   * CORS). Requests to other origins stay CORS-simple: see `fromNetwork`.
   */
  ownOrigin?: string | null;
  /** Whether a network failure means "offline" (default: `navigator.onLine === false`). */
  isOffline?: () => boolean;
  /**
   * Answer before the store has committed, and store only once no request is in flight (or too
   * many bytes wait): the worker, which stays alive for the writes through `flush()` in
   * `waitUntil`. A page should not: a reload right after a load would abort the write.
   */
  writeBehind?: boolean;
  /** How often each caller hears of progress (the worker sends fewer, larger reports; see `ProgressPacing`). */
  progress?: ProgressPacing;
}

export interface EngineCallContext {
  signal: AbortSignal;
  onProgress(loaded: number, total: number | null): void;
  /** Told before each retry of this request (shared requests tell every caller). */
  onRetry?(notice: RetryNotice): void;
}

/** What one shared request produced; each caller turns it into its own `HttpOutcome`. */
interface Acquired {
  version: string | null;
  servedFrom: ServedFrom;
  /** `null`: not read, because the first caller's copy is current; read from `stored` on demand. */
  bytes: Uint8Array | null;
  stored: EntryMeta | null;
  /** What describes the body: the response's headers, or the stored entry's. */
  headers: BodyHeaders;
  /** A large body for a page answer, handed on as it arrives (`bytes` and `stored` are then null). */
  streamed?: StreamedBody;
}

const NO_HEADERS: BodyHeaders = { contentType: null, etag: null, lastModified: null, cacheControl: null };

/** Options of a page's own request (`FetchEngine.answer`). */
export interface PageRequestOptions {
  /** The URL is content-hashed (a pkg:// build file): a stored copy is served without revalidation. */
  immutable?: boolean;
  revalidate?: HttpRequest["revalidate"];
  /**
   * The file's integrity, when the worker knows it (a build's pkg index): a `load()` of the file
   * carries it, and it is part of the sharing key, so both then make one request.
   */
  integrity?: string;
  /**
   * A body from the network longer than one store piece is handed on as it arrives
   * (`PageAnswer.stream`) and stored piece by piece, never held whole; one of unknown length once
   * more than a piece has come (a shorter one is answered whole). Not for a `Range` request: its
   * answer needs the body's size first.
   */
  stream?: boolean;
}

/** One request's working state. */
interface Job {
  url: string;
  req: HttpRequest;
  signal: AbortSignal;
  /** The shared request's reports go to every caller raw; each caller's `ProgressPacer` paces them. */
  progress: { report: ProgressCallback; finish: ProgressCallback };
  onRetry: ((notice: RetryNotice) => void) | undefined;
  /** `clear()` bumps the engine's generation: a response fetched before it must not be stored after it. */
  generation: number;
  /** The URL is on another origin than the engine's: its requests stay CORS-simple (see `fromNetwork`). */
  crossOrigin: boolean;
  /** A page answer's: a GET body longer than this is streamed (`PageRequestOptions.stream`). */
  streamAbove?: number;
  /** Tells the pack reader this request's read of its pack has come, or will not (`PackReader.expect`). */
  packArrived?: () => void;
  /** A pack's request: its body as it arrives, for its files to be cut as they come. */
  onReceived?: BodyObserver;
}

/**
 * The one fetch/revalidate/store engine, used by the Service Worker and by the in-page backend.
 * Every answer is data (`Result`); nothing here rejects. See `request` for the rules.
 */
export class FetchEngine {
  private readonly store: PersistentStore;
  private readonly now: () => number;
  private readonly allowedOrigins: ReadonlySet<string> | null;
  private readonly ownOrigin: string | null;
  private readonly network: NetworkConfig;
  private readonly writer: CacheWriter;
  private readonly metas: BatchedLookup<string, EntryMeta>;
  private readonly entries: BatchedLookup<string, StoredCopy>;
  /** Integrity → URL of a stored copy with those bytes (content-addressed loads). */
  private readonly copies: BatchedLookup<string, string>;
  private readonly shared = new SharedRequests<Acquired>();
  private readonly storedReads = new WeakMap<Acquired, Promise<Uint8Array | null>>();
  private readonly bodies: StoredBodies;
  private generation = 0;
  private readonly writeBehind: boolean;
  private readonly idle = new IdleGate(MAX_HELD_WRITE_BYTES);
  /** Stores under way: the answer does not wait for them; later reads of the URL, stats and `flush()` do. */
  private readonly pending = new PendingWrites(this.idle);
  private readonly pacing: ProgressPacing;
  /** What this engine has asked of the network since it started (`CacheStats.requests`, `files`). */
  private readonly sent = { requests: 0, files: 0 };
  /** Files of a pkg:// build's packs, fetched with their neighbours (issue 15). */
  readonly packs = new PackReader((request) => this.fetchPack(request));

  constructor(options: FetchEngineOptions) {
    this.store = options.store;
    this.now = options.now ?? Date.now;
    this.allowedOrigins = options.allowedOrigins === undefined ? null : originSet(options.allowedOrigins);
    const ownOrigin = options.ownOrigin !== undefined ? options.ownOrigin : ((globalThis as { location?: { origin?: string } }).location?.origin ?? null);
    this.ownOrigin = ownOrigin === null ? null : (normalisedOrigin(ownOrigin) ?? ownOrigin);
    const ownFetch = options.fetch;
    this.network = {
      // Counted per call, so a retry, a HEAD and a pack's one request each count once.
      fetch: (input, init) => {
        this.sent.requests += 1;
        // Called through globalThis at call time: a bare `fetch` reference loses its receiver in some browsers.
        return ownFetch !== undefined ? ownFetch(input, init) : globalThis.fetch(input, init);
      },
      now: this.now,
      isOffline: options.isOffline ?? (() => typeof navigator !== "undefined" && navigator.onLine === false),
      timing: { ...DEFAULT_RETRY_TIMING, ...options.retryTiming },
      onRetry: options.onRetry,
      origins: new Map(),
    };
    this.writer = new CacheWriter(this.store, options.budgetBytes ?? DEFAULT_PERSISTENT_CACHE_BYTES);
    this.bodies = new StoredBodies(this.store, this.writer, this.now);
    this.metas = new BatchedLookup((urls) => this.store.getMetas(urls));
    // Two callers of one URL in a task each get a body of their own: each may transfer it.
    this.entries = new BatchedLookup((urls) => this.store.getEntries(urls), { copy: ({ meta, body }) => ({ meta, body: body?.slice() }) });
    this.copies = new BatchedLookup((integrities) => this.store.urlsByIntegrity(integrities));
    this.writeBehind = options.writeBehind === true;
    this.pacing = options.progress ?? {};
  }

  /**
   * Fetches `req.url`, through the persistent cache unless `req.cache` is false. Concurrent
   * requests for one URL (same cache flag, integrity and maxBytes) share one network request;
   * each caller gets its own bytes and may cancel alone.
   */
  async request(raw: HttpRequest, ctx: EngineCallContext): Promise<Result<HttpOutcome>> {
    const uri = typeof raw?.url === "string" ? raw.url : String(raw?.url);
    if (this.writeBehind) this.idle.begin();
    try {
      if (typeof raw !== "object" || raw === null) throw assetFailure("INVALID_URI", uri, "not a request");
      // A version hint that could not be a header value is no hint (it came over the wire).
      const known = raw.knownVersion;
      const req: HttpRequest = { ...raw, knownVersion: typeof known === "string" && /^[\x20-\x7e\x80-\xff]+$/.test(known) ? known : null };
      const url = checkedRequestUrl(req.url, this.allowedOrigins);
      const key = sharingKey(url, req);
      const generation = this.generation;
      const crossOrigin = this.isCrossOrigin(url);
      const pacer = new ProgressPacer(ctx.onProgress, this.pacing);
      try {
        const { value, sharedWith } = await this.shared.run(key, { ...ctx, onProgress: pacer.report }, (signal, onProgress, onRetry) =>
          this.acquire({ url, req, signal, progress: { report: onProgress, finish: onProgress }, onRetry, generation, crossOrigin }),
        );
        return { ok: true, value: await this.deliver({ url, req, signal: ctx.signal, progress: pacer, onRetry: ctx.onRetry, generation, crossOrigin }, value, sharedWith) };
      } finally {
        pacer.stop();
      }
    } catch (error) {
      return { ok: false, error: { ...AssetError.from(error, uri, "NETWORK").toWire(), uri } };
    } finally {
      if (this.writeBehind) this.idle.end();
    }
  }

  /**
   * A request the page made by itself (an `<img>`, `<audio>`, CSS, another engine's loader),
   * answered by the worker: the same store, freshness rules and in-flight sharing as `request`
   * (an `<img>` and a `load()` of one URL make one request). A stored body is not read: the caller
   * reads the part it needs with `readStoredRange`.
   */
  async answer(raw: string, ctx: EngineCallContext, options: PageRequestOptions = {}): Promise<Result<PageAnswer>> {
    if (this.writeBehind) this.idle.begin();
    try {
      const url = checkedRequestUrl(raw, this.allowedOrigins);
      await this.pending.settledFor(url);
      const meta = await this.metas.get(url);
      // The stored copy's own version as the caller's: the engine then confirms it without reading it.
      const req: HttpRequest = {
        url,
        knownVersion: meta === undefined ? null : metaVersion(meta),
        cache: true,
        revalidate: options.revalidate ?? "conditional-get",
        ...(options.immutable === true ? { immutable: true } : {}),
        ...(options.integrity === undefined ? {} : { integrity: options.integrity }),
      };
      const generation = this.generation;
      const crossOrigin = this.isCrossOrigin(url);
      const streamAbove = options.stream === true ? BODY_CHUNK_BYTES : undefined;
      const job = (signal: AbortSignal, onProgress: EngineCallContext["onProgress"], onRetry: ((notice: RetryNotice) => void) | undefined): Job => ({ url, req, signal, progress: { report: onProgress, finish: onProgress }, onRetry, generation, crossOrigin, ...(streamAbove === undefined ? {} : { streamAbove }) });
      let { value } = await this.shared.run(sharingKey(url, req), ctx, (signal, onProgress, onRetry) => this.acquire(job(signal, onProgress, onRetry)));
      let stream = value.streamed?.open() ?? null;
      // A load that joined first with a version of its own needed no bytes, and nothing is stored,
      // or the body already streams to others (its start is gone): fetch alone.
      if (stream === null && value.bytes === null && value.stored === null) {
        value = await this.acquire(job(ctx.signal, ctx.onProgress, ctx.onRetry));
        stream = value.streamed?.open() ?? null;
      }
      if (stream !== null) return { ok: true, value: { servedFrom: value.servedFrom, headers: value.headers, size: value.streamed!.expectedBytes, bytes: null, stored: null, stream, settled: value.streamed!.settled } };
      if (value.bytes === null && value.stored === null) throw assetFailure("NETWORK", url, "no bytes available");
      const size = value.bytes?.length ?? value.stored!.size;
      return { ok: true, value: { servedFrom: value.servedFrom, headers: value.headers, size, bytes: value.bytes, stored: value.bytes === null ? value.stored : null } };
    } catch (error) {
      const failure = AssetError.from(error, String(raw), "NETWORK");
      return { ok: false, error: { ...failure.toWire(), uri: String(raw), ...(failure.corsRefusal ? { corsRefusal: true } : {}) } };
    } finally {
      if (this.writeBehind) this.idle.end();
    }
  }

  /**
   * Whether the store holds `url`, answered at once from this engine's index of the store (entries
   * another engine wrote since it was read are not in it); undefined until `prepareIndex` is done.
   */
  holds(url: string): boolean | undefined {
    return this.writer.holds(url);
  }

  /** Reads the index of the store `holds` answers from (one listing of the metas). */
  prepareIndex(): Promise<void> {
    return this.writer.prepare();
  }

  /** The stored entry of `url` (fresh or not), without its body; undefined when none. */
  async storedMeta(url: string): Promise<EntryMeta | undefined> {
    let key: string;
    try {
      key = checkedRequestUrl(url, this.allowedOrigins);
    } catch {
      return undefined;
    }
    // A store held back or under way for this URL counts: it is about to be there.
    await this.pending.settledFor(key);
    return this.metas.get(key);
  }

  /**
   * Bytes `start` to `end` (exclusive) of the stored body of `meta`, checked against what was
   * stored; null when they are missing or damaged (the entry is then dropped, never served).
   */
  readStoredRange(meta: EntryMeta, start: number, end: number): Promise<Uint8Array | null> {
    return this.bodies.readRange(meta, start, end);
  }

  /** Drops `url` from the persistent cache. */
  async invalidate(url: string): Promise<Result<void>> {
    const key = cacheKeyOf(url);
    await this.pending.writeOf(key);
    this.pending.abandon(key);
    this.writer.forget([key]);
    return this.storeCall(url, () => this.store.delete([key]));
  }

  /** Empties the persistent cache; responses in flight are not stored afterwards. */
  async clear(): Promise<Result<void>> {
    this.generation += 1;
    this.pending.abandonAll();
    // Writes not yet begun see the new generation and skip; the ones already writing finish first.
    this.idle.openAll();
    await this.pending.settle();
    this.writer.reset();
    return this.storeCall("", () => this.store.clear());
  }

  async stats(): Promise<Result<CacheStats>> {
    this.idle.openAll();
    await this.pending.settle();
    return this.storeCall("", async () => {
      const metas = await this.store.listMetas();
      return { entries: metas.length, bytes: metas.reduce((sum, meta) => sum + meta.size, 0), budgetBytes: this.writer.budgetBytes, ...this.sent };
    });
  }

  /**
   * Resolves once the stores under way (including those held for requests in flight) are done, and
   * writes coalesced last-use times (a worker calls it inside `waitUntil`).
   */
  async flush(): Promise<void> {
    await this.pending.settle();
    // Each worker call ends with a flush: waiting for the last request in flight writes the uses
    // noted by a whole batch in one transaction instead of one per call.
    if (this.writeBehind) await this.idle.whenIdle();
    await this.store.flush().catch(() => undefined);
  }

  private async acquire(job: Job): Promise<Acquired> {
    if (job.req.cache === false || job.req.pack === undefined) return this.look(job);
    // Its pack's read may come once the store has been asked: the batch waits for it rather than
    // go out without it and ask the pack again (issue 15).
    const arrived = this.packs.expect();
    try {
      return await this.look({ ...job, packArrived: arrived });
    } finally {
      arrived();
    }
  }

  private async look(job: Job): Promise<Acquired> {
    const { url, req } = job;
    const useCache = req.cache !== false;
    if (useCache) {
      // A store held back for requests in flight (this one among them) must go now: this read needs it.
      await this.pending.settledFor(url);
    }
    // A content-addressed load serves the stored body whenever its copy is there, pinned by its
    // hash: meta and body in one read, not two in turn (issue 15).
    const withBody = useCache && req.integrity !== undefined && req.knownVersion === null;
    const copy = withBody ? await this.entries.get(url) : undefined;
    let meta = withBody ? copy?.meta : useCache ? await this.metas.get(url) : undefined;
    // Integrity pins the content: a stored copy with those bytes needs no revalidation (issue 15).
    if (meta !== undefined && (req.immutable === true || isFresh(meta, this.now()) || pinnedBy(meta, req.integrity))) {
      if (req.knownVersion !== null && req.knownVersion === metaVersion(meta)) return this.served(meta, "persistent", null);
      const bytes = await this.bodies.read(meta, req.integrity, copy?.body);
      if (bytes !== null) {
        job.progress.finish(bytes.length, bytes.length);
        return this.served(meta, "persistent", bytes);
      }
      meta = undefined;
    }
    if (useCache && meta === undefined) {
      const local = await this.fromElsewhere(job);
      if (local !== null) return local;
    }
    const validator = !useCache ? null : meta !== undefined ? metaVersion(meta) : req.knownVersion;
    try {
      return await this.fromNetwork(job, meta, validator);
    } catch (error) {
      const failure = AssetError.from(error, url, "NETWORK");
      if (useCache && !job.signal.aborted && servesStale(failure)) {
        const stale = await this.stale(meta, req);
        if (stale !== null) return stale;
      }
      // The server says the asset is gone: so is our copy.
      if (failure.code === "NOT_FOUND" && meta !== undefined) await this.writer.drop([url]);
      throw failure;
    }
  }

  private async fromNetwork(job: Job, meta: EntryMeta | undefined, validator: string | null): Promise<Acquired> {
    if (job.req.revalidate === "head" && validator !== null) {
      const head = await this.send(job, "HEAD", {}).catch((error: unknown) => {
        const failure = AssetError.from(error, job.url, "NETWORK");
        // A server that refuses HEAD (405, 501...) still answers GET.
        if (failure.code === "HTTP") return null;
        throw failure;
      });
      if (head?.kind === "ok" && matchesValidator(head.headers, validator)) return this.confirmed(job, meta, validator, head.headers);
    }
    // Cross-origin, a conditional header of ours would make the request non-simple: the browser
    // would send a preflight first, which stock static servers and CDNs answer 405 (issue 12).
    // The browser's HTTP cache revalidates instead (`cache: "no-cache"`), and an answer that still
    // carries our validator is the same asset: its body is left unread.
    const answer = job.crossOrigin
      ? await this.send(job, "GET", {}, validator ?? undefined)
      : await this.send(job, "GET", conditionalHeaders(validator));
    if (answer.kind === "ok") return this.received(job, meta, answer.headers, answer.bytes);
    if (answer.kind === "stream") return this.streamed(job, meta, answer);
    if (validator === null) throw assetFailure("HTTP", job.url, "304 to an unconditional request", { status: 304 });
    return this.confirmed(job, meta, validator, answer.headers);
  }

  /** The server confirmed `validator`: the stored copy, or the page's own, is current. */
  private async confirmed(job: Job, meta: EntryMeta | undefined, validator: string, headers: Headers): Promise<Acquired> {
    if (meta === undefined) return { version: validator, servedFrom: "revalidated", bytes: null, stored: null, headers: NO_HEADERS };
    const now = this.now();
    // Only news is written: a new freshness lifetime, coalesced with the other uses and written in
    // one batch later (reads see it at once). The use itself goes through the writer (`served`),
    // which records one a minute: a revalidation of 1,000 unchanged `no-cache` files wrote 1,000
    // metas back (a read and a write each) for nothing new.
    const freshUntil = freshUntilFrom(headers, now);
    if (freshUntil !== meta.freshUntil) this.store.touch({ url: job.url, freshUntil });
    // The meta read before the server answered: fresh as of now.
    meta = { ...meta, freshUntil };
    if (job.req.knownVersion !== null && job.req.knownVersion === metaVersion(meta)) return this.served(meta, "revalidated", null);
    const bytes = await this.bodies.read(meta);
    if (bytes === null) return this.fromNetwork(job, undefined, null);
    job.progress.finish(bytes.length, bytes.length);
    return this.served(meta, "revalidated", bytes);
  }

  /** New bytes from the server: checked, stored when allowed, returned. */
  private async received(job: Job, meta: EntryMeta | undefined, headers: Headers, bytes: Uint8Array): Promise<Acquired> {
    const { url, req } = job;
    job.progress.finish(bytes.length, bytes.length);
    // Each body is hashed once: a SHA-256 computed for the caller's check is the one stored.
    let sha256: string | undefined;
    if (req.integrity !== undefined) {
      sha256 = await sha256Integrity(bytes);
      const intact = sha256Satisfies(sha256, req.integrity) ?? (await verifyIntegrity(bytes, req.integrity));
      if (!intact) throw assetFailure("INTEGRITY", url, "integrity check failed");
    }
    // Counted after the check: bytes that fail it delivered no file.
    this.sent.files += 1;
    const etag = headers.get("etag");
    const lastModified = headers.get("last-modified");
    if (req.cache !== false && job.generation === this.generation) {
      if (isStorable(headers)) {
        const now = this.now();
        const freshUntil = freshUntilFrom(headers, now);
        // Behind the answer, from a copy: the caller may transfer `bytes` away at once, and waiting
        // for IndexedDB to commit would hold a read slot for every asset (the benchmark's many-small
        // and large-file gaps). The worker keeps itself alive for it through flush(). Written
        // through, the store clones `bytes` before this returns: no copy needed.
        const copy = this.writeBehind ? bytes.slice() : bytes;
        const generation = job.generation;
        const written = this.pending.behind(url, async () => {
          const integrity = sha256 ?? (await sha256Integrity(copy));
          const chunks = await chunkHashes(copy);
          if (generation !== this.generation) return;
          const contentType = headers.get("content-type");
          await this.writer.write({ url, etag, lastModified, contentType, size: copy.length, storedAt: now, lastUsed: now, immutable: req.immutable === true, integrity, ...(chunks === undefined ? {} : { chunks }), ...(freshUntil === undefined ? {} : { freshUntil }) }, copy);
        }, this.writeBehind ? copy.length : undefined);
        if (!this.writeBehind) await written;
      } else if (meta !== undefined) {
        // The server has a newer version it does not let us keep: the stored one is outdated.
        await this.writer.drop([url]);
      }
    }
    return { version: versionOf(etag, lastModified), servedFrom: "network", bytes, stored: null, headers: { contentType: headers.get("content-type"), etag, lastModified, cacheControl: networkCacheControl(req, headers) } };
  }

  /**
   * A large body for a page answer: handed on as it arrives (`StreamedBody`) and stored behind it
   * piece by piece (`StreamedEntryWriter`), under the same rules as `received`.
   */
  private async streamed(job: Job, meta: EntryMeta | undefined, answer: Extract<AttemptResult, { kind: "stream" }>): Promise<Acquired> {
    const { url, req, generation } = job;
    const { headers, body, expectedBytes, onChunk } = answer;
    const etag = headers.get("etag");
    const lastModified = headers.get("last-modified");
    const contentType = headers.get("content-type");
    let sink: StreamedEntryWriter | null = null;
    if (req.cache !== false && generation === this.generation) {
      if (isStorable(headers)) {
        const now = this.now();
        const freshUntil = freshUntilFrom(headers, now);
        const entry = { url, etag, lastModified, contentType, storedAt: now, lastUsed: now, immutable: req.immutable === true, ...(freshUntil === undefined ? {} : { freshUntil }) };
        sink = new StreamedEntryWriter({ store: this.store, writer: this.writer, meta: entry, integrity: req.integrity, current: () => generation === this.generation });
      } else if (meta !== undefined) {
        await this.writer.drop([url]);
      }
    }
    const streamed = new StreamedBody({
      url,
      body,
      expectedBytes,
      sink,
      onChunk,
      onProgress: job.progress.report,
      ...(typeof req.maxBytes === "number" && req.maxBytes > 0 ? { maxBytes: req.maxBytes } : {}),
      ...(typeof req.stallTimeoutMs === "number" && req.stallTimeoutMs > 0 ? { stallTimeoutMs: req.stallTimeoutMs } : {}),
    });
    if (sink !== null) this.pending.streaming(url, streamed.settled, sink);
    return { version: versionOf(etag, lastModified), servedFrom: "network", bytes: null, stored: null, headers: { contentType, etag, lastModified, cacheControl: networkCacheControl(req, headers) }, streamed };
  }

  /**
   * Nothing stored under the URL: a stored copy of the same bytes under another URL (by the
   * request's integrity), or the bytes from the file's pack with its neighbours; else null.
   */
  private async fromElsewhere(job: Job): Promise<Acquired | null> {
    const { req } = job;
    if (req.integrity !== undefined) {
      for (const key of sha256Keys(req.integrity)) {
        const url = await this.copies.get(key);
        const copy = url === undefined ? undefined : await this.metas.get(url);
        if (copy === undefined || !pinnedBy(copy, req.integrity)) continue;
        if (req.knownVersion !== null && req.knownVersion === metaVersion(copy)) return this.served(copy, "persistent", null);
        const bytes = await this.bodies.read(copy, req.integrity);
        if (bytes === null) continue;
        job.progress.finish(bytes.length, bytes.length);
        return this.served(copy, "persistent", bytes);
      }
    }
    if (req.pack !== undefined) {
      const member = { slice: req.pack, signal: job.signal, onProgress: job.progress.report, ...(req.stallTimeoutMs === undefined ? {} : { stallTimeoutMs: req.stallTimeoutMs }) };
      const reading = this.packs.read(member);
      job.packArrived?.();
      const bytes = await reading;
      // Checked against the request's integrity and stored under the file's own URL, as if fetched alone.
      if (bytes !== null) return this.received(job, undefined, new Headers(), bytes);
    }
    return null;
  }

  /** One GET of a pack, or of a range of it; not stored (its files are, one by one). */
  private async fetchPack({ url, range, signal, onProgress, onReceived, stallTimeoutMs }: PackRequest): Promise<Uint8Array> {
    const checked = checkedRequestUrl(url, this.allowedOrigins);
    const req: HttpRequest = { url: checked, knownVersion: null, cache: false, revalidate: "conditional-get", immutable: true, ...(stallTimeoutMs === undefined ? {} : { stallTimeoutMs }) };
    const job: Job = { url: checked, req, signal, progress: { report: onProgress, finish: onProgress }, onRetry: undefined, generation: this.generation, crossOrigin: this.isCrossOrigin(checked), onReceived };
    // A single range is a CORS-safelisted header: no preflight, even across origins.
    const answer = await this.send(job, "GET", range === null ? {} : { range: `bytes=${range.first}-${range.last}` });
    if (answer.kind !== "ok") throw assetFailure("HTTP", url, "304 to an unconditional request", { status: 304 });
    return answer.bytes;
  }

  /** After a network failure: the stored copy, or the page's own copy, served as stale. */
  private async stale(meta: EntryMeta | undefined, req: HttpRequest): Promise<Acquired | null> {
    if (meta !== undefined) {
      if (req.knownVersion !== null && req.knownVersion === metaVersion(meta)) return this.served(meta, "stale", null);
      const bytes = await this.bodies.read(meta);
      if (bytes !== null) return this.served(meta, "stale", bytes);
    }
    if (req.knownVersion !== null) return { version: req.knownVersion, servedFrom: "stale", bytes: null, stored: null, headers: NO_HEADERS };
    return null;
  }

  private served(meta: EntryMeta, servedFrom: ServedFrom, bytes: Uint8Array | null): Acquired {
    this.writer.noteUsed(meta.url, this.now());
    // A stale copy stands in for an answer the origin could not give: never kept as if fresh.
    const cacheControl = servedFrom === "stale" ? "no-cache" : cacheControlFor(meta.immutable, meta.freshUntil, this.now());
    return { version: metaVersion(meta), servedFrom, bytes, stored: meta, headers: { contentType: meta.contentType ?? null, etag: meta.etag, lastModified: meta.lastModified, cacheControl } };
  }

  /** Turns the shared result into this caller's outcome; bytes are never shared between callers. */
  private async deliver(job: Job, got: Acquired, sharedWith: number): Promise<HttpOutcome> {
    const { req } = job;
    const { version, servedFrom } = got;
    if (req.cache !== false && version !== null && req.knownVersion === version) return { notModified: true, version, servedFrom };
    // A body streaming to a page: this caller collects it whole, unless it streams already (then
    // it fetches alone below, which waits for the stream's store and reads it from there).
    const collecting = got.streamed?.collect(job.signal);
    // Cut off mid-body (no retry can resume a stream a page reads too): this caller fetches alone
    // below, with its own retries, as it would have without the page's request.
    const collected = collecting === undefined || collecting === null ? null : await collecting.catch((error: unknown) => {
      const failure = AssetError.from(error, job.url, "NETWORK");
      if (job.signal.aborted || !isRetryable(failure) || !(Number(req.retries ?? 0) > 0)) throw failure;
      return null;
    });
    if (collected !== null) {
      const { bytes, sha256 } = collected;
      if (req.integrity !== undefined && !(sha256Satisfies(sha256, req.integrity) ?? (await verifyIntegrity(bytes, req.integrity)))) throw assetFailure("INTEGRITY", job.url, "integrity check failed");
      job.progress.finish(bytes.length, bytes.length);
      return { bytes, version, servedFrom };
    }
    if (got.bytes !== null) {
      job.progress.finish(got.bytes.length, got.bytes.length);
      return { bytes: sharedWith > 1 ? got.bytes.slice() : got.bytes, version, servedFrom };
    }
    const stored = got.stored === null ? null : await this.readStoredOnce(got, got.stored);
    if (stored !== null) {
      job.progress.finish(stored.length, stored.length);
      return { bytes: stored.slice(), version, servedFrom };
    }
    // The first caller needed no bytes and the stored copy is gone: this caller fetches alone.
    const own = await this.acquire({ ...job, req: { ...req, knownVersion: null } });
    if (own.bytes === null) throw assetFailure("NETWORK", job.url, "no bytes available");
    return { bytes: own.bytes, version: own.version, servedFrom: own.servedFrom };
  }

  private readStoredOnce(got: Acquired, meta: EntryMeta): Promise<Uint8Array | null> {
    let read = this.storedReads.get(got);
    if (read === undefined) {
      read = this.bodies.read(meta);
      this.storedReads.set(got, read);
    }
    return read;
  }

  private send(job: Job, method: "GET" | "HEAD", headers: Record<string, string>, unchangedIf?: string): Promise<AttemptResult> {
    const onProgress = method === "GET" ? job.progress.report : () => undefined;
    return fetchWithRetries(this.network, {
      url: job.url,
      method,
      headers,
      req: job.req,
      signal: job.signal,
      onProgress,
      onRetry: job.onRetry,
      ...(job.crossOrigin ? { crossOrigin: true } : {}),
      ...(unchangedIf === undefined ? {} : { unchangedIf }),
      ...(method === "GET" && job.streamAbove !== undefined ? { streamAbove: job.streamAbove } : {}),
      ...(method === "GET" && job.onReceived !== undefined ? { onReceived: job.onReceived } : {}),
    });
  }

  /** `url` as `checkedRequestUrl` made it: serialized, so its origin is all before its path's first "/". */
  private isCrossOrigin(url: string): boolean {
    return this.ownOrigin !== null && !url.startsWith(`${this.ownOrigin}/`);
  }

  private async storeCall<T>(uri: string, call: () => Promise<T>): Promise<Result<T>> {
    try {
      return { ok: true, value: await call() };
    } catch (error) {
      const failure = AssetError.is(error) ? error : assetFailure("NETWORK", uri, "the persistent cache failed", { cause: error });
      return { ok: false, error: failure.toWire() };
    }
  }
}
