import type { PkgIndex } from "../src/kernel/PkgIndex.js";
import { PKG_STABLE_PREFIX } from "../src/kernel/pluginContract.js";

/**
 * Maps a pkg file's stable URL (`<base>@simvx-pkg/<package>/<path>`, what `server.urlOf` gives
 * before the page has the pkg:// index) to the content-hashed URL of a build, from the same index.
 * The index is read once per worker (from the precache, else the network); a failed read is
 * forgotten, so the next request tries again.
 */
export class PkgStableUrls {
  readonly prefix: string;
  private index: Promise<PkgIndex> | undefined;

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
