import type { ServedFrom } from "../kernel/protocol.js";
import type { LruCache } from "../cache/LruCache.js";
import { verifyIntegrity } from "../kernel/verifyIntegrity.js";
import type { Loader } from "../loaders/Loader.js";
import { untilCancelled } from "../kernel/abort.js";
import { isNotModified, type ReadContext, type Source } from "../sources/Source.js";
import { AssetError } from "../kernel/AssetError.js";
import type { Handle, HandleOutcome } from "./Handle.js";
import type { Clock } from "./Clock.js";
import type { QueuedRead } from "./ReadQueue.js";

/** What a loader's memory cache holds for one uri. */
export interface CacheEntry {
  version: string;
  value: unknown;
  /** The integrity metadata the bytes were checked against, if any. */
  integrity: string | undefined;
}

export interface ReadSpec {
  href: string;
  source: Source;
  loader: Loader;
  /** The loader's memory cache, or null for `cache: false`. */
  cache: LruCache<string, CacheEntry> | null;
  integrity: string | undefined;
  retries: number;
  maxBytes: number | undefined;
  /** No progress for this long while reading fails the read with TIMEOUT; 0 disables. */
  stallTimeoutMs: number;
  clock: Clock;
}

export interface ReadHooks {
  started(handle: Handle): void;
  progress(handle: Handle, progress: number): void;
  finished(handle: Handle, outcome: HandleOutcome<unknown>): void;
  /** A read brought `bytes` bytes, served from `servedFrom` (once per read, however many handles share it). */
  read(servedFrom: ServedFrom, bytes: number): void;
  /** The source will try again after `delayMs`. */
  retrying(job: ReadJob, attempt: number, delayMs: number, error: AssetError): void;
  /** The job ended (delivered, failed or abandoned): drop it from the in-flight table. */
  ended(job: ReadJob): void;
}

/**
 * One read of one uri shared by every handle that asked for it while it was in flight. It is
 * aborted only when the last of those handles leaves.
 */
export class ReadJob implements QueuedRead {
  priority = Number.NEGATIVE_INFINITY;
  private readonly subscribers = new Set<Handle>();
  private readonly controller = new AbortController();
  private phase: "queued" | "running" | "ended" = "queued";
  private stallTimer: unknown = null;
  private stalled = false;
  private sourceAnswered = false;

  constructor(
    readonly key: string,
    private readonly spec: ReadSpec,
    private readonly hooks: ReadHooks,
  ) {}

  get wantsSlot(): boolean {
    return this.phase === "queued" && this.subscribers.size > 0;
  }

  get gated(): boolean {
    return this.spec.source.schedulesOwnReads !== true;
  }

  get handles(): readonly Handle[] {
    return [...this.subscribers];
  }

  get href(): string {
    return this.spec.href;
  }

  /** Returns true when the priority rose while queued (the queue must re-sort). */
  add(handle: Handle, priority: number): boolean {
    this.subscribers.add(handle);
    if (this.phase === "running") this.hooks.started(handle);
    if (priority > this.priority) {
      this.priority = priority;
      return this.phase === "queued";
    }
    return false;
  }

  remove(handle: Handle): void {
    if (!this.subscribers.delete(handle) || this.subscribers.size > 0) return;
    // A finished read has nothing left to stop (and an abort costs a DOMException per load).
    if (this.phase !== "ended") this.controller.abort();
    // Nobody waits for this read any more: a new load of the uri must start its own read, not join
    // this aborted one (it would end CANCELLED though nobody cancelled it).
    this.end();
  }

  async start(): Promise<void> {
    if (!this.wantsSlot) return;
    this.phase = "running";
    for (const handle of [...this.subscribers]) this.hooks.started(handle);
    this.armStallTimer(0);
    let outcome: HandleOutcome<unknown>;
    try {
      // Given up at the abort, not when the source settles: a source that ignores its signal and
      // never settles must not hold a read slot for ever.
      outcome = await untilCancelled(this.load(), this.controller.signal, this.spec.href);
    } catch (error) {
      const code = this.controller.signal.aborted ? "CANCELLED" : "NETWORK";
      const failure = this.stalled
        ? new AssetError("TIMEOUT", this.spec.href, { message: `no progress for ${this.spec.stallTimeoutMs} ms: ${this.spec.href}` })
        : AssetError.from(error, this.spec.href, code);
      outcome = failure.code === "CANCELLED" ? { state: "cancelled", error: failure } : { state: "failed", error: failure };
    }
    const handles = [...this.subscribers];
    this.end();
    for (const handle of handles) this.hooks.finished(handle, outcome);
  }

  private end(): void {
    if (this.phase === "ended") return;
    this.phase = "ended";
    this.disarmStallTimer();
    this.hooks.ended(this);
  }

  /**
   * A backstop for sources that do not watch their own reads: a read that reports nothing for
   * `stallTimeoutMs` (plus a grace) is abandoned, even when the source ignores its abort signal. A
   * source that retries re-arms it with each retry notice, whose wait the grace leaves room for.
   * HTTP reads (`schedulesOwnReads`) have none: the fetch engine times out a stalled exchange, and
   * a stopped worker is noticed by its lock.
   */
  private armStallTimer(extraMs: number): void {
    const { stallTimeoutMs, clock } = this.spec;
    if (!(stallTimeoutMs > 0) || this.phase !== "running" || this.sourceAnswered || !this.gated) return;
    this.disarmStallTimer();
    this.stallTimer = clock.setTimeout(() => {
      this.stallTimer = null;
      this.stalled = true;
      this.controller.abort();
    }, stallTimeoutMs + stallGraceMs(stallTimeoutMs) + extraMs);
  }

  private disarmStallTimer(): void {
    if (this.stallTimer !== null) this.spec.clock.clearTimeout(this.stallTimer);
    this.stallTimer = null;
  }

  private async load(): Promise<HandleOutcome<unknown>> {
    const { cache, href, integrity } = this.spec;
    const cached = cache?.peek(href);
    // A copy checked against other integrity metadata (or none) proves nothing about this one.
    const usable = cached && cached.integrity === integrity ? cached : undefined;
    const result = await this.spec.source.read(href, this.context(usable?.version ?? null));
    // What follows (parsing, decoding) is ours, not the source's: no stall watchdog over it.
    this.sourceAnswered = true;
    this.disarmStallTimer();
    if (isNotModified(result)) {
      const entry = cache?.get(href);
      if (entry && entry.integrity === integrity && (result.version === null || result.version === entry.version)) {
        // "stale": the network failed and the source vouches for the old copy; the handle must say so.
        const servedFrom = result.servedFrom === "revalidated" || result.servedFrom === "stale" ? result.servedFrom : "memory";
        return { state: "loaded", value: entry.value, servedFrom };
      }
      // The copy was evicted while the source confirmed it: read the bytes after all.
      this.sourceAnswered = false;
      this.armStallTimer(0);
      const fresh = await this.spec.source.read(href, this.context(null));
      this.sourceAnswered = true;
      this.disarmStallTimer();
      if (isNotModified(fresh)) throw new AssetError("NETWORK", href, { message: `source answered notModified without a known version: ${href}` });
      return this.parse(fresh.bytes, fresh.version, fresh.servedFrom);
    }
    return this.parse(result.bytes, result.version, result.servedFrom);
  }

  private async parse(bytes: Uint8Array, version: string | null, servedFrom: ServedFrom | undefined): Promise<HandleOutcome<unknown>> {
    const { href, integrity, loader, cache, maxBytes } = this.spec;
    if (!(bytes instanceof Uint8Array)) throw new AssetError("NETWORK", href, { message: `source returned no bytes for ${href}` });
    if (maxBytes !== undefined && bytes.byteLength > maxBytes) {
      throw new AssetError("TOO_LARGE", href, { message: `${href} is ${bytes.byteLength} bytes, over the ${maxBytes}-byte limit` });
    }
    if (integrity !== undefined && this.spec.source.checksIntegrity !== true && !(await verifyIntegrity(bytes, integrity))) {
      throw new AssetError("INTEGRITY", href, { message: `bytes of ${href} do not match integrity ${integrity}` });
    }
    this.controller.signal.throwIfAborted();
    let value: unknown;
    try {
      value = await loader.parse(bytes, href);
    } catch (error) {
      throw AssetError.from(error, href, "PARSE");
    }
    this.hooks.read(servedFrom ?? "network", bytes.byteLength);
    if (cache && version !== null) cache.set(href, { version, value, integrity }, safeSize(() => loader.sizeOf(value, bytes), bytes.byteLength));
    return { state: "loaded", value, servedFrom: servedFrom ?? "network" };
  }

  private context(knownVersion: string | null): ReadContext {
    const { spec } = this;
    return {
      signal: this.controller.signal,
      knownVersion,
      onProgress: (loaded, total) => this.reportProgress(loaded, total),
      onRetry: (attempt, delayMs, error) => {
        this.armStallTimer(Number.isFinite(delayMs) && delayMs > 0 ? delayMs : 0);
        this.hooks.retrying(this, attempt, delayMs, error);
      },
      cache: spec.cache !== null,
      ...(spec.integrity === undefined ? {} : { integrity: spec.integrity }),
      ...(spec.maxBytes === undefined ? {} : { maxBytes: spec.maxBytes }),
      retries: spec.retries,
      stallTimeoutMs: spec.stallTimeoutMs,
      priority: this.priority,
    };
  }

  private reportProgress(loaded: number, total: number | null): void {
    if (!Number.isFinite(loaded) || loaded < 0) return;
    this.armStallTimer(0);
    for (const handle of this.subscribers) {
      const expected = total ?? handle.expectedBytes;
      // Without a length to go by, stop short of 1: only the finished load may claim it.
      if (expected && expected > 0) this.hooks.progress(handle, Math.min(loaded / expected, total ? 1 : 0.99));
    }
  }
}

function safeSize(measure: () => number, fallback: number): number {
  try {
    const size = measure();
    return Number.isFinite(size) && size >= 0 ? size : fallback;
  } catch {
    return fallback;
  }
}

/** How long past its stall timeout a read may stay silent before the core gives up on it. */
export function stallGraceMs(stallTimeoutMs: number): number {
  return Math.max(2_000, stallTimeoutMs / 2);
}
