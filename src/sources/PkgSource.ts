import { AssetError } from "../kernel/AssetError.js";
import { integrityFromSha256Hex } from "../kernel/verifyIntegrity.js";
import { PKG_STABLE_PREFIX } from "../kernel/pluginContract.js";
import type { HttpOutcome, RevalidateMode } from "../kernel/protocol.js";
import type { HttpBackend } from "../kernel/HttpBackend.js";
import { untilCancelled } from "../kernel/abort.js";
import { PkgIndexClient, type LocatedPkgFile } from "./PkgIndexClient.js";
import type { ReadContext, ReadResult, Source } from "./Source.js";
import { childUri, parsedUri, segmentsOf } from "./uriPath.js";

export interface PkgSourceOptions {
  /** How the bytes are fetched (the Service Worker or the in-page engine). */
  backend: HttpBackend;
  /** URL of the build index. Default `DEFAULT_PKG_INDEX_PATH`. */
  indexUrl?: string;
  /** What `indexUrl` resolves against: the app's base URL. */
  base?: string;
  /** How a stale copy is checked (the server's `revalidate`). */
  revalidate?: RevalidateMode;
}

/**
 * `pkg://<package>/<path>` in a browser: the files the Vite plugin lists in its build index,
 * fetched through the HTTP backend and checked against the index's SHA-256, which is also their
 * version hint. (Node's is `NodePkgSource`.)
 */
export class PkgSource implements Source {
  // Its reads go through the HTTP backend, which schedules them (as HttpSource's), and must reach
  // the engine together for a folder's files to come from their pack in one request (issue 15).
  readonly schedulesOwnReads = true;
  private readonly index: PkgIndexClient;

  constructor(private readonly options: PkgSourceOptions) {
    this.index = new PkgIndexClient(options.indexUrl, options.base);
  }

  async read(uri: string, ctx: ReadContext): Promise<ReadResult> {
    const { name, path } = locatePkgFile(uri);
    return this.readFromIndex(name, path, uri, ctx);
  }

  async list(uri: string, opts: { recursive: boolean }): Promise<string[]> {
    const { name, path } = locatePkgFile(uri);
    const files = await this.index.list(name, path, opts.recursive, uri);
    return files.map((file) => childUri(uri, file));
  }

  /**
   * The file's URL from the pkg:// index (content-hashed in a build) once the index is loaded;
   * before that, its stable URL (`<base>@simvx-pkg/<package>/<path>`), which the dev server
   * serves and the asset worker maps to the hashed file, and the index starts loading.
   */
  urlOf(uri: string): string {
    const { name, path } = locatePkgFile(uri);
    const located = this.index.fileNow(name, path);
    if (located !== undefined) {
      if (located === null) throw new AssetError("NOT_FOUND", uri, { message: `package "${name}" has no file "${path}" in the pkg:// index (${uri})` });
      return located.href;
    }
    this.index.prefetch();
    if (this.options.base === undefined) throw new AssetError("NOT_FOUND", uri, { message: `no app base URL to give ${uri} a URL from` });
    return new URL(`${PKG_STABLE_PREFIX}${name}/${path.split("/").map(encodeURIComponent).join("/")}`, this.options.base).href;
  }

  /** Refetches the index on the next read (it may be stale after a dev-server edit) and drops the cached bytes. */
  async invalidateCache(uri: string): Promise<void> {
    const { name, path } = locatePkgFile(uri);
    // The backend holds the bytes under the URL the current index names (content-hashed in a build).
    const file = await this.index.file(name, path, uri).catch(() => null);
    this.index.reset();
    if (file !== null) await this.options.backend.invalidate(file.href);
  }

  async clearCache(): Promise<void> {
    this.index.reset();
  }

  private async readFromIndex(name: string, path: string, uri: string, ctx: ReadContext): Promise<ReadResult> {
    const { backend } = this.options;
    const fresh = ctx.cache === false;
    let file = await untilCancelled(this.index.file(name, path, uri, fresh), ctx.signal, uri);
    if (ctx.knownVersion === file.sha256) return { notModified: true, version: file.sha256 };
    try {
      return await this.fetchFile(backend, file, uri, ctx);
    } catch (error) {
      // A dev server serves the index live: after an edit, the copy fetched earlier names the old hash.
      if (!AssetError.is(error) || error.code !== "INTEGRITY" || file.immutable) throw error;
      const refreshed = await untilCancelled(this.index.file(name, path, uri, true), ctx.signal, uri);
      if (refreshed.sha256 === file.sha256) throw error;
      file = refreshed;
      if (ctx.knownVersion === file.sha256) return { notModified: true, version: file.sha256 };
      return this.fetchFile(backend, file, uri, ctx);
    }
  }

  private async fetchFile(backend: HttpBackend, file: LocatedPkgFile, uri: string, ctx: ReadContext): Promise<ReadResult> {
    const request = {
      url: file.href,
      // The page's version hint is the index hash, which means nothing to the HTTP cache.
      knownVersion: null,
      cache: ctx.cache ?? true,
      revalidate: this.options.revalidate ?? "conditional-get",
      integrity: integrityFromSha256Hex(file.sha256),
      immutable: file.immutable,
      ...(file.packSlice === undefined ? {} : { pack: file.packSlice }),
      ...(ctx.maxBytes === undefined ? {} : { maxBytes: ctx.maxBytes }),
      ...(ctx.retries === undefined ? {} : { retries: ctx.retries }),
      ...(ctx.stallTimeoutMs === undefined ? {} : { stallTimeoutMs: ctx.stallTimeoutMs }),
    };
    let outcome: HttpOutcome;
    try {
      outcome = await backend.fetch(request, { signal: ctx.signal, onProgress: ctx.onProgress });
    } catch (error) {
      const failure = AssetError.from(error, uri, "NETWORK");
      if (failure.uri === uri) throw failure;
      throw new AssetError(failure.code, uri, { cause: failure, message: `${failure.message} (for ${uri})`, ...(failure.status === undefined ? {} : { status: failure.status }) });
    }
    if ("notModified" in outcome) return { notModified: true, version: file.sha256, servedFrom: outcome.servedFrom };
    return { bytes: outcome.bytes, version: file.sha256, servedFrom: outcome.servedFrom };
  }
}

/** The package name (the uri's host) and the `/`-joined decoded path below it. */
export function locatePkgFile(uri: string): { name: string; path: string } {
  const url = parsedUri(uri);
  const segments = segmentsOf(url, uri);
  const name = url.host;
  if (name === "") throw new AssetError("INVALID_URI", uri, { message: `pkg:// uris need a package name: ${uri}` });
  return { name, path: segments.join("/") };
}
