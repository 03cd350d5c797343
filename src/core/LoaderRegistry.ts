import { LruCache } from "../cache/LruCache.js";
import { BytesLoader } from "../loaders/BytesLoader.js";
import { ImageLoader } from "../loaders/ImageLoader.js";
import { JsonLoader } from "../loaders/JsonLoader.js";
import type { Loader } from "../loaders/Loader.js";
import { TextLoader } from "../loaders/TextLoader.js";
import type { CacheEntry } from "./ReadJob.js";

/**
 * The loaders a server knows and the byte-budget memory cache each one owns. The first registered
 * loader whose `claims(uri)` is true wins; the built-ins come after every registered one, and
 * `BytesLoader` catches the rest.
 */
export class LoaderRegistry {
  private readonly registered: Loader[] = [];
  private readonly builtins: Loader[] = [new JsonLoader(), new TextLoader(), new ImageLoader()];
  private readonly fallback = new BytesLoader();
  private readonly ids = new Map<Loader, number>();
  private readonly caches = new Map<Loader, LruCache<string, CacheEntry>>();

  constructor(
    private readonly cacheBytes: number,
    private readonly onError: ((error: unknown) => void) | undefined,
  ) {}

  register(loader: Loader): void {
    if (!loader || typeof loader.parse !== "function" || typeof loader.claims !== "function") {
      throw new TypeError("registerLoader takes a Loader (an object with claims() and parse())");
    }
    if (!this.registered.includes(loader)) this.registered.push(loader);
  }

  loaderFor(href: string): Loader {
    for (const loader of [...this.registered, ...this.builtins]) {
      try {
        if (loader.claims(href)) return loader;
      } catch (error) {
        this.onError?.(error);
      }
    }
    return this.fallback;
  }

  /** A small number naming `loader`, for keys of shared reads. */
  idOf(loader: Loader): number {
    let id = this.ids.get(loader);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(loader, id);
    }
    return id;
  }

  cacheFor(loader: Loader): LruCache<string, CacheEntry> {
    let cache = this.caches.get(loader);
    if (!cache) {
      cache = new LruCache<string, CacheEntry>(this.cacheBytes);
      this.caches.set(loader, cache);
    }
    return cache;
  }

  /** Drops `href` from every loader's cache. */
  forget(href: string): void {
    for (const cache of this.caches.values()) cache.delete(href);
  }

  clearCaches(): void {
    for (const cache of this.caches.values()) cache.clear();
  }

  /** Bytes held by all the memory caches together. */
  get cachedBytes(): number {
    let bytes = 0;
    for (const cache of this.caches.values()) bytes += cache.bytes;
    return bytes;
  }
}
