import type { PkgIndex } from "../src/kernel/PkgIndex.js";
import { PKG_STABLE_PREFIX } from "../src/kernel/pluginContract.js";
import { integrityFromSha256Hex } from "../src/kernel/verifyIntegrity.js";
import type { PageRoute } from "./PageRequestRouter.js";

/**
 * Maps a pkg file's stable URL (`<base>@simvx-pkg/<package>/<path>`, what `server.urlOf` gives
 * before the page has the pkg:// index) to the content-hashed URL of a build, from the same index.
 * The index is read once per worker (from the precache, else the network); a failed read is
 * forgotten, so the next request tries again.
 */
export class PkgStableUrls {
  readonly prefix: string;
  private index: Promise<PkgIndex> | undefined;
  private integrities: Promise<Map<string, string>> | undefined;

  /**
   * @param indexUrl the pkg:// index, absolute.
   * @param read how to get the index (the precache first: a build starts offline).
   */
  constructor(
    workerUrl: string,
    private readonly indexUrl: string,
    private readonly read: (url: string) => Promise<Response>,
  ) {
    this.prefix = new URL(PKG_STABLE_PREFIX, workerUrl).href;
  }

  /** The hashed URL for a stable one; null when the index has no such file (or `url` is no stable URL). */
  async resolve(url: string): Promise<string | null> {
    if (!url.startsWith(this.prefix)) return null;
    const rest = url.slice(this.prefix.length).replace(/[?#].*$/s, "");
    const slash = rest.indexOf("/");
    if (slash <= 0) return null;
    let name: string;
    let path: string;
    try {
      name = decodeURIComponent(rest.slice(0, slash));
      path = rest.slice(slash + 1).split("/").map(decodeURIComponent).join("/");
    } catch {
      return null;
    }
    const index = await this.load();
    const files = Object.hasOwn(index.packages, name) ? index.packages[name]!.files : undefined;
    if (files === undefined || !Object.hasOwn(files, path)) return null;
    return new URL(files[path]!.url, this.indexUrl).href;
  }

  /**
   * The integrity the index gives the file at hashed URL `url` (the one a `load()` of its pkg://
   * uri carries); null when the index names no such file.
   */
  async integrityOf(url: string): Promise<string | null> {
    this.integrities ??= this.load().then(
      (index) => {
        const byUrl = new Map<string, string>();
        for (const { files } of Object.values(index.packages)) {
          for (const file of Object.values(files)) {
            try {
              byUrl.set(new URL(file.url, this.indexUrl).href, integrityFromSha256Hex(file.sha256));
            } catch {
              // A file the index describes badly gets no integrity: its requests are answered without one.
            }
          }
        }
        return byUrl;
      },
      (error: unknown) => {
        this.integrities = undefined;
        throw error;
      },
    );
    return (await this.integrities).get(url.replace(/#.*$/s, "")) ?? null;
  }

  /**
   * A build's pkg file route with the integrity its index gives the file, as a `load()` of its
   * pkg:// uri carries it: both then share one request. Other routes, files the index does not
   * name, or an index that cannot be read leave the route as it is (answered without integrity).
   */
  async withIntegrity(route: PageRoute): Promise<PageRoute> {
    if (route.reason !== "pkg") return route;
    const integrity = await this.integrityOf(route.url).catch(() => null);
    return integrity === null ? route : { ...route, integrity };
  }

  private load(): Promise<PkgIndex> {
    this.index ??= this.read(this.indexUrl)
      .then((response) => {
        if (!response.ok) throw new Error(`the pkg:// index answered ${response.status}`);
        return response.json() as Promise<PkgIndex>;
      })
      .catch((error: unknown) => {
        this.index = undefined;
        throw error;
      });
    return this.index;
  }
}
