/** A rule of the `intercept` option: a URL prefix (relative ones resolve against the worker's URL) or a RegExp over the whole URL. */
export type InterceptRule = string | RegExp;

/** Why the worker answers a request, and how. */
export interface PageRoute {
  /** The URL without its fragment: the store's key. */
  url: string;
  reason: "pkg" | "intercept" | "stored";
  /** A content-hashed pkg file: a stored copy is served without asking the server. */
  immutable: boolean;
  /** A pkg file's stable URL, to be mapped to its hashed one first (`PkgStableUrls`). */
  stable?: true;
  /** A build's pkg file: the integrity its index gives it (what a `load()` of it carries). */
  integrity?: string;
}

export interface PageRequestRouterOptions {
  /** The worker script's URL: relative prefixes resolve against it. */
  workerUrl: string;
  /** Origins whose requests the worker may answer; null: any http(s) origin. */
  allowedOrigins: ReadonlySet<string> | null;
  /** Where the pkg files are served (the Vite plugin bakes them in), relative to the worker. */
  pkgPrefixes: readonly string[];
  /** The pkg files are content-hashed (a build). */
  pkgImmutable: boolean;
  /** In a build: the stable URLs of pkg files (`<base>@simvx-pkg/`), mapped to the hashed ones. */
  pkgStablePrefix?: string;
  intercept: readonly InterceptRule[];
  /** App-shell URLs: workbox's precache answers them. */
  precached: readonly string[];
  /** Whether the store holds `url`, at once; undefined while that is not known yet. */
  holds(url: string): boolean | undefined;
}

/** The parts of a request the router looks at (a `Request`, or plain data in tests). */
export interface RoutedRequest {
  url: string;
  method: string;
  mode: RequestMode;
  cache?: RequestCache;
  destination?: RequestDestination;
}

/**
 * Decides, at once and without I/O, which of the page's own requests the worker answers: GETs for
 * pkg files, for URLs that match the `intercept` rules, and for URLs the store holds, on an origin
 * the worker may reach. Everything else (navigations, the app shell workbox serves, other methods,
 * a request that asks to bypass caches) is left to the browser untouched: `route` returns null.
 */
export class PageRequestRouter {
  private readonly pkgPrefixes: string[];
  private readonly prefixes: string[];
  private readonly patterns: RegExp[];
  private readonly precached: ReadonlySet<string>;

  constructor(private readonly options: PageRequestRouterOptions) {
    const absolute = (prefix: string): string[] => {
      try {
        return [new URL(prefix, options.workerUrl).href];
      } catch {
        return [];
      }
    };
    this.pkgPrefixes = options.pkgPrefixes.flatMap(absolute);
    this.prefixes = options.intercept.flatMap((rule) => (typeof rule === "string" ? absolute(rule) : []));
    this.patterns = options.intercept.filter((rule): rule is RegExp => rule instanceof RegExp);
    this.precached = new Set(options.precached.flatMap(absolute));
  }

  route(request: RoutedRequest): PageRoute | null {
    if (request.method !== "GET" || request.mode === "navigate") return null;
    // A script asked for the network itself (`fetch(url, { cache: "no-store" })`): it gets it. Only
    // a script's: an element's request carries the browser's choice of mode, not the page's.
    if ((request.cache === "no-store" || request.cache === "reload") && (request.destination ?? "") === "") return null;
    let parsed: URL;
    try {
      parsed = new URL(request.url);
    } catch {
      return null;
    }
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return null;
    if (parsed.username !== "" || parsed.password !== "") return null;
    if (this.options.allowedOrigins !== null && !this.options.allowedOrigins.has(parsed.origin)) return null;
    parsed.hash = "";
    const url = parsed.href;
    if (this.precached.has(url)) return null;
    if (this.pkgPrefixes.some((prefix) => url.startsWith(prefix))) return { url, reason: "pkg", immutable: this.options.pkgImmutable };
    if (this.options.pkgStablePrefix !== undefined && url.startsWith(this.options.pkgStablePrefix)) return { url, reason: "pkg", immutable: true, stable: true };
    if (this.prefixes.some((prefix) => url.startsWith(prefix)) || this.patterns.some((pattern) => matches(pattern, url))) return { url, reason: "intercept", immutable: false };
    if (this.options.holds(url) === true) return { url, reason: "stored", immutable: false };
    return null;
  }
}

/** `test` on a global or sticky RegExp moves its `lastIndex`; the rule must match the same way every time. */
function matches(pattern: RegExp, url: string): boolean {
  pattern.lastIndex = 0;
  return pattern.test(url);
}
