import type { Loader } from "../loaders/Loader.js";
import { MemSource } from "../sources/MemSource.js";
import type { Source } from "../sources/Source.js";
import type { CacheStats } from "../kernel/protocol.js";
import type { HttpBackend } from "../kernel/HttpBackend.js";
import { AssetError } from "../kernel/AssetError.js";
import type { FlushScheduler } from "./FlushScheduler.js";
import { BatchHandle } from "./BatchHandle.js";
import { type Clock, systemClock } from "./Clock.js";
import { FlushQueue } from "./FlushQueue.js";
import { Handle, type HandleOutcome } from "./Handle.js";
import { type ManifestEntry, ManifestLoader } from "./ManifestLoader.js";
import {
  type AssetServerOptions,
  type BatchOptions,
  type FolderOptions,
  type LoadOptions,
  type ResolvedServerOptions,
  resolveServerOptions,
} from "./options.js";
import { LoaderRegistry } from "./LoaderRegistry.js";
import { type AssetServerStats, LoadStats } from "./LoadStats.js";
import { currentPlatform } from "./Platform.js";
import { ReadJob, type ReadHooks } from "./ReadJob.js";
import { ReadQueue } from "./ReadQueue.js";
import { Signal } from "./Signal.js";
import { SourceRegistry } from "./SourceRegistry.js";
import { TaskSlicer } from "./TaskSlicer.js";
import { failure, type Intercept, type LoadRecord, LoadTable, type PendingLoad, validCount } from "./LoadTable.js";
import { parseUri } from "../kernel/uri.js";
import { noUpdates, type ServerUpdates } from "./ServerUpdates.js";
import type { UpdateInfo } from "../kernel/UpdateInfo.js";

export type { PendingLoad };

/** What `retrying` tells: the read of `uri` failed with `error` and is tried again after `delayMs`. */
export interface RetryEvent {
  uri: string;
  /** The attempt that failed (1 = the first). */
  attempt: number;
  delayMs: number;
  error: AssetError;
}


/**
 * Loads assets in the background and delivers them through handles whose state changes only in
 * `flush()`. Sources, loaders, clock and HTTP backend are injectable; what the options leave out
 * comes from the platform the entry file installed (see `Platform`). The constructor registers
 * nothing and listens to nothing outside itself; `instance()` also registers the worker.
 */
export class AssetServer {
  private static shared: AssetServer | undefined;

  /** The lazily created default server. */
  static instance(): AssetServer {
    if (AssetServer.shared === undefined) {
      currentPlatform().startShared?.();
      AssetServer.shared = new AssetServer();
    }
    return AssetServer.shared;
  }

  /** The in-memory source's store: `server.mem.set("level.json", {...})` serves `mem://level.json`. */
  readonly mem: MemSource;
  /** Emits from `flush()` when a source will try a failed read again (network errors, 5xx, 408, 429). */
  readonly retrying = new Signal<RetryEvent>();
  /**
   * Emits a uri from `flush()` once the caches have dropped it because it changed: a pkg file saved
   * under `npm run demo` (the Vite plugin's dev client), a `mem://` `set` or `delete`, `invalidate(uri)`.
   * The next `load(uri)` reads the new content. Listeners connected when the change happens hear of it.
   */
  readonly assetChanged = new Signal<string>();
  /** Emits from `flush()`, once per build, when the server has a build other than the running one (see `checkForUpdate`). */
  readonly updateAvailable: Signal<UpdateInfo>;
  /** Emits from `flush()`, once per build, once it has been applied (in this tab or another): the next page load runs it, offline too. */
  readonly updateReady: Signal<UpdateInfo>;

  private readonly options: ResolvedServerOptions;
  private readonly clock: Clock;
  private readonly defaultBase: string;
  private readonly onError: ((error: unknown) => void) | undefined;
  private readonly sources = new SourceRegistry();
  private readonly loaders: LoaderRegistry;
  private readonly manifestLoader = new ManifestLoader();
  private readonly loadStats = new LoadStats();
  private readonly jobs = new Map<string, ReadJob>();
  private readonly loads: LoadTable;
  private readonly batchOf = new WeakMap<Handle, BatchHandle>();
  private readonly queue: ReadQueue;
  private readonly starts: TaskSlicer;
  private readonly flushQueue: FlushQueue;
  private readonly scheduler: FlushScheduler | null;
  private readonly httpBackend: HttpBackend | null;
  private readonly hooks: ReadHooks;
  private readonly updates: ServerUpdates;
  private disposed = false;
  /** Undoes what the constructor connected outside the server (mem:// changes, the dev event). */
  private readonly disconnects: Array<() => void> = [];
  /** Shared by every handle (one closure, not one per handle). */
  private readonly cancelHandle = (target: Handle): void => this.loads.finish(target, cancelled(target.uri, `cancelled: ${target.uri}`));

  constructor(options: AssetServerOptions = {}) {
    this.options = resolveServerOptions(options);
    this.clock = options.clock ?? systemClock;
    this.onError = options.onError;
    if (this.onError) this.retrying.onError = this.assetChanged.onError = this.onError;
    this.loaders = new LoaderRegistry(this.options.cacheBytes, this.onError);
    this.mem = options.sources?.mem instanceof MemSource ? options.sources.mem : new MemSource();
    const wiring = currentPlatform().wire(options, this.options, this.mem);
    this.defaultBase = options.defaultBase ?? wiring.defaultBase;
    this.httpBackend = options.httpBackend ?? wiring.httpBackend;
    // Replaced one scheme at a time: custom http(s) sources keep the built-in pkg:// and file://.
    for (const [scheme, source] of Object.entries<Source>({ ...wiring.sources, ...options.sources })) this.registerSource(scheme, source);
    for (const loader of options.loaders ?? []) this.registerLoader(loader);
    this.queue = new ReadQueue(this.options.maxConcurrentReads);
    this.starts = new TaskSlicer(this.clock);
    this.scheduler = this.options.autoFlush ? wiring.scheduleFlush(() => this.flush(this.options.flushBudgetMs)) : null;
    this.flushQueue = new FlushQueue(() => this.scheduler?.request(), (handle) => this.batchOf.get(handle));
    this.loads = new LoadTable(this.clock, this.flushQueue, this.options.timeoutMs, (outcome) => this.loadStats.loaded(outcome.servedFrom));
    this.hooks = {
      started: (handle) => {
        const record = this.loads.get(handle);
        if (record) record.reason = "reading";
        this.flushQueue.started(handle);
      },
      progress: (handle, progress) => this.flushQueue.setProgress(handle, progress),
      finished: (handle, outcome) => this.loads.finish(handle, outcome),
      read: (servedFrom, bytes) => this.loadStats.read(servedFrom, bytes),
      retrying: (job, attempt, delayMs, error) => {
        this.loadStats.retries += 1;
        this.flushQueue.notify(() => this.retrying.emit({ uri: job.href, attempt, delayMs, error }));
      },
      ended: (job) => {
        if (this.jobs.get(job.key) === job) this.jobs.delete(job.key);
      },
    };
    this.watchChanges(wiring.watchChanges);
    // Updates after a deploy: the platform's (src/update/ in a browser), constructed here only.
    const host = {
      clock: this.clock,
      backend: this.httpBackend,
      updateCheckMs: options.updateCheckMs,
      pkgIndexUrl: options.pkgIndexUrl,
      deliver: (emit: () => void) => this.flushQueue.notify(emit),
      loadManifest: (uri: string, opts: BatchOptions) => this.loadManifest(uri, opts),
      loadGroup: (uris: readonly string[]) => this.loadGroup(uris),
      registerSource: (scheme: string, source: Source) => this.registerSource(scheme, source),
      onError: this.onError,
    };
    this.updates = wiring.updates?.(host) ?? noUpdates(host);
    this.updateAvailable = this.updates.available;
    this.updateReady = this.updates.ready;
  }

  /** Starts loading `uri`. Never throws and never completes synchronously: problems fail the handle on a flush. */
  load<T = unknown>(uri: string, opts: LoadOptions = {}): Handle<T> {
    // A copy: the load may be set up in a later task (see startLoad), after the caller reused its options object.
    return this.startLoad(uri, copyOptions(opts), null) as Handle<T>;
  }

  loadGroup(uris: readonly string[], opts: BatchOptions = {}): BatchHandle {
    if (!Array.isArray(uris)) return this.failedBatch(String(uris), new AssetError("INVALID_URI", String(uris), { message: "loadGroup takes an array of uris" }));
    const options = copyOptions(opts);
    this.starts.claim();
    // Array.from, not map: a sparse array's holes are loads too (of `undefined`, which fail), not gaps.
    const children = Array.from(uris, (uri) => this.startLoad(uri, options, null));
    const batch = this.newBatch(children, options.failFast);
    if (children.length === 0) this.flushQueue.check(batch);
    return batch;
  }

  /** Loads every file below a folder (`{ recursive: true }` for subfolders) from a source that can list. */
  loadFolder(uri: string, opts: FolderOptions = {}): BatchHandle {
    const options = opts ?? {};
    const placeholder = this.newHandle(uri, null, undefined);
    const batch = this.newBatch([placeholder], options.failFast, true);
    const record = this.loads.track(placeholder, options, null);
    try {
      const parsed = parseUri(uri, this.defaultBase);
      const source = this.sources.require(parsed.scheme, uri);
      if (typeof source.list !== "function") throw new AssetError("NOT_LISTABLE", uri, { message: `${parsed.scheme}:// cannot list folders: ${uri}` });
      record.reason = "listing";
      this.flushQueue.started(placeholder);
      source.list(parsed.href, { recursive: options.recursive === true }).then(
        (listed) => {
          if (!this.loads.get(placeholder)) return; // cancelled or timed out meanwhile
          if (!Array.isArray(listed) || listed.some((item) => typeof item !== "string")) {
            throw new AssetError("NOT_LISTABLE", uri, { message: `the source listed something other than uris for ${uri}` });
          }
          this.resolveBatch(batch, placeholder, listed.map((child) => ({ uri: child })), options);
          this.flushQueue.finished(placeholder, { state: "loaded", value: listed, servedFrom: "network" });
        },
        (error: unknown) => this.loads.finish(placeholder, failure(AssetError.from(error, uri, "NOT_FOUND"))),
      ).catch((error: unknown) => this.loads.finish(placeholder, failure(AssetError.from(error, uri, "NOT_LISTABLE"))));
    } catch (error) {
      this.loads.finish(placeholder, failure(AssetError.from(error, uri, "INVALID_URI")));
    }
    return batch;
  }

  /** Loads what a manifest lists (`{ "assets": [...] }`); sizes weigh progress, `integrity` is checked. */
  loadManifest(uri: string, opts: BatchOptions = {}): BatchHandle {
    const options = opts ?? {};
    const owner: { batch?: BatchHandle } = {};
    const placeholder = this.startLoad(uri, { ...options, loader: this.manifestLoader }, (outcome) => {
      if (outcome.state === "loaded" && owner.batch) this.resolveBatch(owner.batch, placeholder, outcome.value as ManifestEntry[], options);
    });
    owner.batch = this.newBatch([placeholder], options.failFast, true);
    return owner.batch;
  }

  /** The first registered loader whose `claims(uri)` is true wins; built-in loaders come after yours. */
  registerLoader(loader: Loader): void {
    this.loaders.register(loader);
  }

  /** Serves `scheme://...` uris from `source` (replacing any source of that scheme). */
  registerSource(scheme: string, source: Source): void {
    this.sources.register(scheme, source);
  }

  /**
   * A URL for `uri` that any code on the page can use: an `<img>`, CSS, `<audio>`, another
   * engine's loader (`PIXI.Assets.load(server.urlOf("pkg://game/hero.png"))`). The asset worker
   * answers the page's requests for it from the same store as `load()`. For `pkg://`, the hashed
   * URL of a build once the pkg:// index has loaded, else a stable URL (see README). Throws an
   * `AssetError` for a bad uri or a scheme whose source has no URLs (`mem://`, `file://`).
   */
  urlOf(uri: string): string {
    const { href, scheme } = parseUri(uri, this.defaultBase);
    const source = this.sources.require(scheme, uri);
    if (typeof source.urlOf !== "function") throw new AssetError("UNSUPPORTED_SCHEME", href, { message: `${scheme}:// assets have no URL the page could fetch: ${href}` });
    return source.urlOf(href);
  }

  /** Drops `uri` from every memory cache and from its source's persistent cache. */
  async invalidate(uri: string): Promise<void> {
    let href: string;
    let scheme: string;
    try {
      ({ href, scheme } = parseUri(uri, this.defaultBase));
    } catch {
      return; // nothing can be cached under a uri that cannot be loaded
    }
    this.loaders.forget(href);
    try {
      await this.sources.get(scheme)?.invalidateCache?.(href);
    } finally {
      this.announceChange(href);
    }
  }

  /** Empties the memory caches; `{ persistent: true }` empties the persistent (IndexedDB) cache too. */
  async clearCaches(opts: { persistent?: boolean } = {}): Promise<void> {
    this.loaders.clearCaches();
    if (opts?.persistent) await Promise.all(this.sources.distinct().map((source) => source.clearCache?.()));
  }

  /**
   * Applies finished work and fires signals on the calling thread; returns how many handles
   * finished. With `budgetMs`, stops after about that long and leaves the rest, in order, for the
   * next flush (autoFlush passes `flushBudgetMs`).
   */
  flush(budgetMs?: number): number {
    if (budgetMs === undefined || !Number.isFinite(budgetMs) || budgetMs <= 0) return this.flushQueue.drain();
    return this.flushQueue.drain({ at: this.clock.now() + budgetMs, now: () => this.clock.now() });
  }

  /** What is still in flight, and why: for debugging a stuck loading screen. */
  pending(): PendingLoad[] {
    return this.loads.pending();
  }

  /** Bytes held by the loaders' memory caches together (each stays within `cacheBytes`). */
  memoryCacheBytes(): number {
    return this.loaders.cachedBytes;
  }

  /** Where loads were served from, bytes that came new, retries, memory use: cheap enough for every frame. */
  stats(): AssetServerStats {
    return {
      servedFrom: { ...this.loadStats.servedFrom },
      networkReads: this.loadStats.networkReads,
      networkBytes: this.loadStats.networkBytes,
      retries: this.loadStats.retries,
      memoryCacheBytes: this.loaders.cachedBytes,
      inFlight: this.loads.size,
      httpBackend: this.httpBackend?.kind ?? null,
    };
  }

  /** What the persistent HTTP cache (IndexedDB) holds against its budget; null when it cannot be asked. */
  async persistentStats(): Promise<CacheStats | null> {
    return this.httpBackend ? this.httpBackend.stats().catch(() => null) : null;
  }

  /**
   * Asks the server for its pkg index: one conditional request. Resolves with the new build
   * compared with the running one, or null when the server has the running build (always null in
   * dev and where there is no pkg index); rejects with an `AssetError` when the index cannot be
   * fetched or read (offline, 404, malformed): a failed check is never taken for an update.
   */
  checkForUpdate(): Promise<UpdateInfo | null> {
    return this.updates.check();
  }

  /**
   * Downloads the new build in the background, only the pkg files whose content changed or is new
   * and the new app shell, then lets the new worker take over; `updateReady` fires once done. The
   * running build keeps working, offline too, until the page reloads. Two tabs download it once.
   */
  applyUpdate(): BatchHandle {
    return this.updates.apply();
  }

  /** Cancels everything in flight and releases the backend. Handles end `cancelled` on the next flush. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const handle of this.loads.handles()) this.loads.finish(handle, cancelled(handle.uri, "the asset server was disposed"));
    this.loaders.clearCaches();
    this.httpBackend?.dispose();
    this.scheduler?.dispose();
    this.updates.dispose();
    for (const disconnect of this.disconnects.splice(0)) disconnect();
    if (AssetServer.shared === this) AssetServer.shared = undefined;
  }

  /** Queued for the next flush only when someone listens: a game filling mem:// with 10,000 keys pays nothing. */
  private announceChange(href: string): void {
    if (!this.disposed && this.assetChanged.listenerCount > 0) this.flushQueue.notify(() => this.assetChanged.emit(href));
  }

  /** A `mem://` key was set or deleted, or the dev server saw a pkg file saved. */
  private watchChanges(external: ((changed: (uri: string) => void) => () => void) | undefined): void {
    this.disconnects.push(
      this.mem.onChange((uri) => {
        const href = this.absoluteUriOf(uri);
        this.loaders.forget(href);
        this.announceChange(href);
      }),
    );
    if (external) this.disconnects.push(external((uri) => void this.invalidate(uri).catch(() => undefined)));
  }

  /**
   * The handle and its watchdog now; the rest of the set-up (uri, source, loader, the shared read
   * and its start) through the slicer, so a big batch never costs one long task. A handle
   * cancelled, timed out or disposed before its turn is simply skipped.
   */
  private startLoad(uri: string, opts: LoadOptions, intercept: Intercept | null): Handle {
    const handle = this.newHandle(uri, () => this.absoluteUriOf(uri), validSize(opts.size));
    const record = this.loads.track(handle, opts, intercept);
    this.starts.run(() => {
      if (this.loads.get(handle) === record) this.attach(handle, record, uri, opts);
    });
    return handle;
  }

  private attach(handle: Handle, record: LoadRecord, uri: string, opts: LoadOptions): void {
    try {
      const { href, scheme } = parseUri(uri, this.defaultBase);
      if (this.disposed) throw new AssetError("CANCELLED", String(uri), { message: `the asset server was disposed: ${uri}` });
      const source = this.sources.require(scheme, uri);
      const loader = opts.loader ?? this.loaders.loaderFor(href);
      if (opts.integrity !== undefined && typeof opts.integrity !== "string") throw new AssetError("INTEGRITY", href, { message: "integrity must be a string" });
      const cache = opts.cache === false ? null : this.loaders.cacheFor(loader);
      const key = `${href}\n${cache ? 1 : 0}\n${this.loaders.idOf(loader)}\n${opts.integrity ?? ""}`;
      let job = this.jobs.get(key);
      const isNew = !job;
      if (!job) {
        job = new ReadJob(key, {
          href,
          source,
          loader,
          cache,
          integrity: opts.integrity,
          retries: validCount(opts.retries) ?? this.options.retries,
          maxBytes: validSize(opts.maxBytes) ?? this.options.maxBytes,
          stallTimeoutMs: validCount(opts.stallTimeoutMs) ?? this.options.stallTimeoutMs,
          clock: this.clock,
        }, this.hooks);
        this.jobs.set(key, job);
      }
      record.job = job;
      const raised = job.add(handle, Number.isFinite(opts.priority) ? opts.priority! : 0);
      if (isNew) this.queue.enqueue(job);
      else if (raised) this.queue.reprioritize(job);
    } catch (error) {
      this.loads.finish(handle, failure(AssetError.from(error, String(uri), "INVALID_URI")));
    }
  }

  private absoluteUriOf(uri: string): string {
    try {
      return parseUri(uri, this.defaultBase).href;
    } catch {
      return String(uri);
    }
  }

  /** `href`: the absolute uri, or how to work it out when someone asks (parsing waits for the load's turn). */
  private newHandle(uri: string, href: string | null | (() => string), expectedBytes: number | undefined): Handle {
    const handle = new Handle<unknown>(String(uri), href ?? String(uri), this.cancelHandle, expectedBytes);
    if (this.onError) handle.completed.onError = this.onError;
    return handle;
  }

  private newBatch(children: Handle[], failFast: boolean | undefined, listing = false): BatchHandle {
    const batch = new BatchHandle(children, failFast === true, listing);
    if (this.onError) {
      batch.completed.onError = this.onError;
      batch.itemCompleted.onError = this.onError;
    }
    for (const child of children) this.batchOf.set(child, batch);
    return batch;
  }

  private failedBatch(uri: string, error: AssetError): BatchHandle {
    const placeholder = this.newHandle(uri, null, undefined);
    const batch = this.newBatch([placeholder], false);
    this.loads.track(placeholder, {}, null);
    this.loads.finish(placeholder, failure(error));
    return batch;
  }

  /**
   * The placeholder of a folder or manifest batch gives way to the listed children. The caller then
   * ends the placeholder too (loaded with the listing): someone may hold it from `batch.handles`.
   */
  private resolveBatch(batch: BatchHandle, placeholder: Handle, entries: ManifestEntry[], opts: BatchOptions): void {
    this.loads.release(placeholder);
    this.starts.claim();
    const children = entries.map((entry) => {
      if (entry.invalid !== undefined) {
        const child = this.newHandle(entry.uri, null, undefined);
        this.loads.track(child, {}, null);
        this.loads.finish(child, failure(new AssetError("INVALID_URI", entry.uri, { message: entry.invalid })));
        return child;
      }
      return this.startLoad(entry.uri, { ...opts, ...(entry.integrity ? { integrity: entry.integrity } : {}), ...(entry.size !== undefined ? { size: entry.size } : {}) }, null);
    });
    for (const child of children) this.batchOf.set(child, batch);
    batch.stage(children);
    this.flushQueue.resolved(batch, children);
  }
}


function cancelled(uri: string, message: string): HandleOutcome<unknown> {
  return { state: "cancelled", error: new AssetError("CANCELLED", uri, { message }) };
}

/** A shallow copy of the caller's options; the object itself when copying throws (a throwing getter then fails the load, never the call). */
function copyOptions<T extends object>(opts: T | null | undefined): T {
  try {
    return { ...opts } as T;
  } catch {
    return opts ?? ({} as T);
  }
}

function validSize(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : undefined;
}

