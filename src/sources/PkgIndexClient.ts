import { AssetError } from "../kernel/AssetError.js";
import { DEFAULT_PKG_INDEX_PATH, type PkgIndex, type PkgIndexFile, type PkgIndexPack } from "../kernel/PkgIndex.js";
import type { PackSlice } from "../kernel/protocol.js";

export interface LocatedPkgFile extends PkgIndexFile {
  /** Absolute URL of the bytes. */
  href: string;
  /** Where the bytes also lie in a pack, with its absolute URL (a build with packs). */
  packSlice?: PackSlice;
}

/**
 * The browser's view of pkg://: the build index, fetched once with plain `fetch` on first use and
 * shared by every read. A failed fetch is forgotten, so the next read tries again.
 */
export class PkgIndexClient {
  private pending: Promise<PkgIndex> | undefined;
  /** The index last fetched, for synchronous look-ups (`fileNow`). */
  private loaded: PkgIndex | undefined;
  private resolvedUrl: string | undefined;
  /**
   * The index's relative URLs resolved, for the index loaded: a pack's URL is shared by hundreds
   * of files, and a URL parse per file and pack was most of a pkg:// load's set-up (issue 15).
   */
  private hrefs = new Map<string, string>();

  /**
   * @param indexUrl the `pkgIndexUrl` option; default `DEFAULT_PKG_INDEX_PATH`.
   * @param base what it resolves against: the app's base, not the page's, so a page in a subfolder
   * of the app shares the app's index. Resolved on first use, so a bad URL fails a load, not the constructor.
   */
  constructor(
    private readonly indexUrl: string | undefined,
    private readonly base: string | undefined,
  ) {}

  /** Forgets the index: the next call fetches it again (after an edit in dev, or on `invalidate`). */
  reset(): void {
    this.pending = undefined;
    this.loaded = undefined;
    this.hrefs = new Map();
  }

  /** Starts fetching the index if it is not loaded or loading; never rejects. */
  prefetch(): void {
    this.index(false).catch(() => undefined);
  }

  /**
   * The entry for `pkg://<name>/<path>` from the index already loaded, at once: null when the
   * index has no such file, undefined when no index is loaded yet.
   */
  fileNow(name: string, path: string): LocatedPkgFile | null | undefined {
    const index = this.loaded;
    if (index === undefined) return undefined;
    const files = Object.hasOwn(index.packages, name) ? index.packages[name]!.files : undefined;
    if (files === undefined || !Object.hasOwn(files, path)) return null;
    const file = files[path]!;
    return { ...file, href: this.resolve(file.url) };
  }

  /** The index entry for `pkg://<name>/<path>`, or NOT_FOUND. `fresh` refetches the index first. */
  async file(name: string, path: string, uri: string, fresh = false): Promise<LocatedPkgFile> {
    const { files, packs } = await this.packageFiles(name, uri, fresh);
    if (!Object.hasOwn(files, path)) throw new AssetError("NOT_FOUND", uri, { message: `package "${name}" has no file "${path}" in the pkg:// index (${uri})` });
    const file = files[path]!;
    const located: LocatedPkgFile = { ...file, href: this.resolve(file.url) };
    const pack = file.pack === undefined ? undefined : packs[file.pack.id];
    if (file.pack !== undefined && pack !== undefined) {
      located.packSlice = { url: this.resolve(pack.url), offset: file.pack.offset, length: file.size, packBytes: pack.size };
    }
    return located;
  }

  private resolve(relative: string): string {
    let href = this.hrefs.get(relative);
    if (href === undefined) {
      href = new URL(relative, this.url()).href;
      this.hrefs.set(relative, href);
    }
    return href;
  }

  /** Paths below `folder` ("" for the package root), sorted; direct children unless recursive. */
  async list(name: string, folder: string, recursive: boolean, uri: string): Promise<string[]> {
    const { files } = await this.packageFiles(name, uri, false);
    if (folder !== "" && Object.hasOwn(files, folder)) throw new AssetError("INVALID_URI", uri, { message: `${uri} is a file, not a folder` });
    const prefix = folder === "" ? "" : `${folder}/`;
    const below = Object.keys(files).filter((path) => path.startsWith(prefix));
    if (below.length === 0 && folder !== "") throw new AssetError("NOT_FOUND", uri, { message: `package "${name}" has no folder "${folder}" in the pkg:// index (${uri})` });
    return below.filter((path) => recursive || !path.slice(prefix.length).includes("/")).map((path) => path.slice(prefix.length)).sort();
  }

  private async packageFiles(name: string, uri: string, fresh: boolean): Promise<{ files: Record<string, PkgIndexFile>; packs: Record<string, PkgIndexPack> }> {
    let index: PkgIndex;
    try {
      index = await this.index(fresh);
    } catch (error) {
      const cause = AssetError.is(error) ? error : AssetError.from(error, this.url(), "NETWORK");
      throw new AssetError(cause.code, uri, { cause, message: `${cause.message} (needed for ${uri})`, ...(cause.status === undefined ? {} : { status: cause.status }) });
    }
    const pkg = Object.hasOwn(index.packages, name) ? index.packages[name] : undefined;
    if (pkg === undefined) {
      const known = Object.keys(index.packages).join(", ") || "none";
      throw new AssetError("NOT_FOUND", uri, { message: `unknown package "${name}": not in the pkg:// index (packages: ${known}) (${uri})` });
    }
    return { files: pkg.files, packs: index.packs ?? {} };
  }

  private index(fresh: boolean): Promise<PkgIndex> {
    if (this.pending === undefined || fresh) {
      const attempt = this.fetchIndex(fresh);
      this.pending = attempt;
      attempt.catch(() => {
        if (this.pending === attempt) this.pending = undefined;
      });
    }
    return this.pending;
  }

  private async fetchIndex(fresh: boolean): Promise<PkgIndex> {
    const url = this.url();
    let response: Response;
    try {
      // "no-cache" revalidates with the server; the default mode may answer from the HTTP cache.
      response = await fetch(url, fresh ? { cache: "no-cache" } : {});
    } catch (cause) {
      throw new AssetError("NETWORK", url, { cause, message: `could not fetch the pkg:// index ${url}: ${(cause as Error).message}` });
    }
    if (response.status === 404) {
      throw new AssetError("NOT_FOUND", url, { status: 404, message: `no pkg:// index at ${url} (is the simvxAssets Vite plugin set up, or pkgIndexUrl right?)` });
    }
    if (!response.ok) throw new AssetError("HTTP", url, { status: response.status, message: `the pkg:// index ${url} answered HTTP ${response.status}` });
    let index: unknown;
    try {
      index = await response.json();
    } catch (cause) {
      throw new AssetError("PARSE", url, { cause, message: `the pkg:// index ${url} is not JSON: ${(cause as Error).message}` });
    }
    if (!isPkgIndex(index)) throw new AssetError("PARSE", url, { message: `the pkg:// index ${url} is not a version 1 index` });
    this.loaded = index;
    return index;
  }

  private url(): string {
    this.resolvedUrl ??= pkgIndexUrlOf(this.indexUrl, this.base);
    return this.resolvedUrl;
  }
}

/** The absolute URL of the pkg:// index: `indexUrl` (`pkgIndexUrl`), else the default path under the app's base. */
export function pkgIndexUrlOf(indexUrl: string | undefined, base: string | undefined): string {
  if (indexUrl === undefined && base === undefined) {
    throw new AssetError("NOT_FOUND", "pkg://", { message: "no pkgIndexUrl given and no document base URL to find the pkg:// index from" });
  }
  try {
    return new URL(indexUrl ?? DEFAULT_PKG_INDEX_PATH, base).href;
  } catch (cause) {
    throw new AssetError("INVALID_URI", String(indexUrl), { cause, message: `pkgIndexUrl is not a valid URL: ${String(indexUrl)}` });
  }
}

/** Whether `value` has the shape of a version 1 index (extra fields, such as a build's, are allowed). */
export function isPkgIndex(value: unknown): value is PkgIndex {
  if (typeof value !== "object" || value === null) return false;
  const { version, packages, packs = {} } = value as Partial<PkgIndex>;
  if (version !== 1 || typeof packages !== "object" || packages === null) return false;
  if (typeof packs !== "object" || packs === null || !Object.values(packs).every(isIndexPack)) return false;
  return Object.values(packages).every(
    (pkg) => typeof pkg === "object" && pkg !== null && typeof pkg.files === "object" && pkg.files !== null && Object.values(pkg.files).every((file) => isIndexFile(file) && liesInItsPack(file, packs)),
  );
}

function isIndexPack(pack: unknown): pack is PkgIndexPack {
  if (typeof pack !== "object" || pack === null) return false;
  const { url, size } = pack as Partial<PkgIndexPack>;
  return typeof url === "string" && Number.isSafeInteger(size) && size! >= 0;
}

/** An index that lies about offsets or lengths is refused whole: no read may land outside a pack. */
function liesInItsPack(file: PkgIndexFile, packs: Record<string, PkgIndexPack>): boolean {
  if (file.pack === undefined) return true;
  const { id, offset } = file.pack as { id?: unknown; offset?: unknown };
  if (typeof id !== "string" || !Object.hasOwn(packs, id)) return false;
  return Number.isSafeInteger(offset) && (offset as number) >= 0 && Number.isSafeInteger(file.size) && file.size >= 0 && (offset as number) + file.size <= packs[id]!.size;
}

function isIndexFile(file: unknown): file is PkgIndexFile {
  if (typeof file !== "object" || file === null) return false;
  const { url, size, sha256, immutable } = file as Partial<PkgIndexFile>;
  return typeof url === "string" && typeof size === "number" && typeof sha256 === "string" && /^[0-9a-f]{64}$/.test(sha256) && typeof immutable === "boolean";
}
