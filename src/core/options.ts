import type { RevalidateMode } from "../kernel/protocol.js";
import type { Loader } from "../loaders/Loader.js";
import type { Source } from "../sources/Source.js";
import type { HttpBackend } from "../kernel/HttpBackend.js";
import type { Clock } from "./Clock.js";

export type BackendChoice = "auto" | "service-worker" | "in-page";

export interface AssetServerOptions {
  /**
   * Reads in flight at once from sources that do not schedule their own (`mem://`, `file://`,
   * custom sources); HTTP reads are left to the worker and the browser. Default 6. (The SPEC's
   * name; it counts reads, not workers.)
   */
  maxWorkers?: number;
  /** Memory budget of each loader's cache, in bytes. Default 256 MiB. */
  cacheBytes?: number;
  /**
   * Budget of the page's own persistent (IndexedDB) HTTP cache, in bytes: the in-page engine's.
   * Default 512 MiB. The worker's is set where it is built (`simvxAssets({ worker: { persistentCacheBytes } })`).
   */
  persistentCacheBytes?: number;
  revalidate?: RevalidateMode;
  /** Total time a load may take, queueing included. Default 120 s; 0 disables. */
  timeoutMs?: number;
  /** A read that receives no bytes for this long fails with TIMEOUT. Default 30 s; 0 disables. */
  stallTimeoutMs?: number;
  /** Retries for network errors, 5xx, 408 and 429. Default 2. */
  retries?: number;
  /** Largest asset accepted, in bytes; larger ones fail with TOO_LARGE. Default: no limit. */
  maxBytes?: number;
  backend?: BackendChoice;
  /**
   * Where the asset worker is served. Default `<base>asset-sw.js`, where `<base>` is the app's base
   * URL as the Vite plugin tells it (`<meta name="simvx-assets-base">`), else `/asset-sw.js`. The
   * worker's scope is the app's base when the worker is inside it, else the worker's own folder.
   */
  serviceWorkerUrl?: string;
  autoFlush?: boolean;
  /**
   * Time one automatic flush may spend applying completions before it leaves the rest to the next
   * frame. Default 4 ms; 0 applies everything at once. (`flush(budgetMs)` takes the same for a
   * flush you call yourself; `flush()` applies everything.)
   */
  flushBudgetMs?: number;
  /** Node: pkg:// package name → folder on disk (else resolved as an installed npm package). */
  packages?: Record<string, string>;
  /** Browser: where the Vite plugin serves the pkg:// index. */
  pkgIndexUrl?: string;
  /**
   * After a deploy: the server checks for a new build when it starts and when the page becomes
   * visible again, at most once per this many ms. Default 10 minutes. (`checkForUpdate()` checks
   * whenever it is called.)
   */
  updateCheckMs?: number;
  /**
   * Origins HTTP loads in the page may reach (`["https://cdn.example.com"]`); others fail with
   * INVALID_URI. Default: any. The worker's list is set where it is built (`simvxAssets({ worker: { allowedOrigins } })`).
   */
  allowedOrigins?: readonly string[];

  // Injectables: the core touches no globals when these are given (tests, custom hosts).
  /** Extra or replacement sources by scheme (without `:`). */
  sources?: Record<string, Source>;
  /** Loaders registered before any `registerLoader` call. */
  loaders?: Loader[];
  httpBackend?: HttpBackend;
  clock?: Clock;
  /** Base for bare relative paths. Default: the document base URL, or the working directory in Node. */
  defaultBase?: string;
  /** Called with what a signal listener threw. Default: `console.error`. */
  onError?: (error: unknown) => void;
}

export interface LoadOptions {
  /** `false`: fresh read, no cache read, no cache write. */
  cache?: boolean;
  loader?: Loader;
  signal?: AbortSignal;
  /** Higher first; equal priorities in call order. Default 0. */
  priority?: number;
  /** Subresource Integrity metadata the bytes must match. */
  integrity?: string;
  timeoutMs?: number;
  stallTimeoutMs?: number;
  retries?: number;
  maxBytes?: number;
  /** Expected size in bytes: weighs batch progress and stands in for a missing Content-Length. */
  size?: number;
}

export interface BatchOptions extends Omit<LoadOptions, "integrity" | "size"> {
  /** Cancel the rest of the batch when one child fails. Default false: carry on. */
  failFast?: boolean;
}

export interface FolderOptions extends BatchOptions {
  recursive?: boolean;
}

export interface ResolvedServerOptions {
  /** From `maxWorkers`: reads in flight at once. */
  maxConcurrentReads: number;
  cacheBytes: number;
  /** What the platform's in-page engine is built with (its own defaults fill the rest). */
  engine: { budgetBytes?: number; allowedOrigins?: readonly string[] };
  revalidate: RevalidateMode;
  timeoutMs: number;
  stallTimeoutMs: number;
  retries: number;
  maxBytes: number | undefined;
  backend: BackendChoice;
  /** null: the default, resolved where the worker is registered (see `serviceWorkerUrl`). */
  serviceWorkerUrl: string | null;
  autoFlush: boolean;
  flushBudgetMs: number;
}

export function resolveServerOptions(options: AssetServerOptions): ResolvedServerOptions {
  return {
    maxConcurrentReads: positiveInteger(options.maxWorkers, 6),
    cacheBytes: nonNegative(options.cacheBytes, 256 * 2 ** 20),
    engine: {
      ...(options.persistentCacheBytes !== undefined && Number.isFinite(options.persistentCacheBytes) && options.persistentCacheBytes >= 0 ? { budgetBytes: options.persistentCacheBytes } : {}),
      ...(Array.isArray(options.allowedOrigins) ? { allowedOrigins: [...options.allowedOrigins] } : {}),
    },
    revalidate: options.revalidate === "head" ? "head" : "conditional-get",
    timeoutMs: nonNegative(options.timeoutMs, 120_000),
    stallTimeoutMs: nonNegative(options.stallTimeoutMs, 30_000),
    retries: nonNegative(options.retries, 2),
    maxBytes: options.maxBytes !== undefined && Number.isFinite(options.maxBytes) && options.maxBytes >= 0 ? options.maxBytes : undefined,
    backend: options.backend ?? "auto",
    serviceWorkerUrl: typeof options.serviceWorkerUrl === "string" && options.serviceWorkerUrl !== "" ? options.serviceWorkerUrl : null,
    autoFlush: options.autoFlush ?? true,
    flushBudgetMs: nonNegative(options.flushBudgetMs, 4),
  };
}

function positiveInteger(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value >= 1 ? Math.floor(value) : fallback;
}

function nonNegative(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value >= 0 ? value : fallback;
}
