import { AssetError } from "../kernel/AssetError.js";
import { detectEnvironment, type Environment } from "../platform/environment.js";
import { integrityFromSha256Hex } from "../kernel/verifyIntegrity.js";
import type { HttpOutcome } from "../kernel/protocol.js";
import type { HttpBackend } from "../kernel/HttpBackend.js";
import { untilCancelled } from "../kernel/abort.js";
import { listLocalFolder, readLocalFile } from "./nodeFiles.js";
import { PkgIndexClient, type LocatedPkgFile } from "./PkgIndexClient.js";
import { resolvePackageFolder } from "./resolvePackageFolder.js";
import type { ReadContext, ReadResult, Source } from "./Source.js";
import { childUri, pathSegments } from "./uriPath.js";

export interface PkgSourceOptions {
  /** Browser: how the bytes are fetched (the Service Worker or the in-page engine). */
  backend?: HttpBackend;
  /** Browser: URL of the build index. Default `DEFAULT_PKG_INDEX_PATH` against the document base URL. */
  indexUrl?: string;
  /** Node: package name → folder. Other names resolve as installed npm packages. */
  packages?: Record<string, string>;
  /** Node: where relative folders and npm packages resolve from. Default `process.cwd()`. */
  cwd?: string;
  /** Default: detected at each call. */
  environment?: Environment;
}

/**
 * `pkg://<package>/<path>`: files packaged with the app. In Node, a package's folder on disk (read
 * like FileSource, never outside that folder, symlinks included). In a browser, the files the Vite
 * plugin lists in its build index, fetched through the HTTP backend and checked against the index's
 * SHA-256, which is also their version hint.
 */
export class PkgSource implements Source {
  private readonly index: PkgIndexClient;
  private readonly folders = new Map<string, string>();

  constructor(private readonly options: PkgSourceOptions = {}) {
    this.index = new PkgIndexClient(options.indexUrl);
  }

  async read(uri: string, ctx: ReadContext): Promise<ReadResult> {
    const { name, path } = locate(uri);
    if (this.inNode()) {
      const folder = await this.packageFolder(name, uri);
      return readLocalFile(joinPath(folder, path), uri, ctx, folder);
    }
    return this.readFromIndex(name, path, uri, ctx);
  }

  async list(uri: string, opts: { recursive: boolean }): Promise<string[]> {
    const { name, path } = locate(uri);
    const files = this.inNode()
      ? await this.packageFolder(name, uri).then((folder) => listLocalFolder(joinPath(folder, path), uri, opts.recursive, folder))
      : await this.index.list(name, path, opts.recursive, uri);
    return files.map((file) => childUri(uri, file));
  }

  /** Refetches the index on the next read (it may be stale after a dev-server edit) and drops the cached bytes. */
  async invalidateCache(uri: string): Promise<void> {
    if (this.inNode()) return;
    const { name, path } = locate(uri);
    // The backend holds the bytes under the URL the current index names (content-hashed in a build).
    const file = await this.index.file(name, path, uri).catch(() => null);
    this.index.reset();
    if (file !== null && this.options.backend !== undefined) await this.options.backend.invalidate(file.href);
  }

  async clearCache(): Promise<void> {
    this.index.reset();
  }

  private async readFromIndex(name: string, path: string, uri: string, ctx: ReadContext): Promise<ReadResult> {
    const backend = this.options.backend;
    if (backend === undefined) throw new AssetError("UNSUPPORTED_SCHEME", uri, { message: `pkg:// in a browser needs an HTTP backend (${uri})` });
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
      revalidate: ctx.revalidate ?? "conditional-get",
      integrity: integrityFromSha256Hex(file.sha256),
      immutable: file.immutable,
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
    if (outcome.kind === "notModified") return { notModified: true, version: file.sha256, servedFrom: outcome.servedFrom };
    return { bytes: outcome.bytes, version: file.sha256, servedFrom: outcome.servedFrom };
  }

  private async packageFolder(name: string, uri: string): Promise<string> {
    const known = this.folders.get(name);
    if (known !== undefined) return known;
    const folder = await resolvePackageFolder(name, uri, this.options.packages, this.options.cwd ?? process.cwd());
    this.folders.set(name, folder);
    return folder;
  }

  private inNode(): boolean {
    return (this.options.environment ?? detectEnvironment()) === "node";
  }
}

/** The package name (the uri's host) and the `/`-joined decoded path below it. */
function locate(uri: string): { name: string; path: string } {
  const segments = pathSegments(uri);
  const name = new URL(uri).host;
  if (name === "") throw new AssetError("INVALID_URI", uri, { message: `pkg:// uris need a package name: ${uri}` });
  return { name, path: segments.join("/") };
}

function joinPath(folder: string, path: string): string {
  return path === "" ? folder : `${folder.replace(/[/\\]+$/, "")}/${path}`;
}
