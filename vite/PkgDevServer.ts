import { readFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname } from "node:path";
import type { PkgIndex } from "../src/kernel/PkgIndex.js";
import { PKG_STABLE_PREFIX } from "../src/kernel/pluginContract.js";
import { buildPkgIndex, encodePath, HashCache, readPackages, sha256Hex } from "./buildPkgIndex.js";
import { resolvePackageFile } from "./packageFiles.js";

/** Where the dev server serves package files: `<base>@simvx-pkg/<package>/<path>` (their stable URLs). */
export const DEV_PKG_PREFIX = PKG_STABLE_PREFIX;

const CONTENT_TYPES: Record<string, string> = {
  ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".webp": "image/webp", ".avif": "image/avif",
  ".gif": "image/gif", ".svg": "image/svg+xml", ".json": "application/json", ".txt": "text/plain; charset=utf-8",
  ".md": "text/markdown; charset=utf-8", ".glsl": "text/plain; charset=utf-8", ".wgsl": "text/plain; charset=utf-8",
  ".vert": "text/plain; charset=utf-8", ".frag": "text/plain; charset=utf-8", ".csv": "text/csv; charset=utf-8",
  ".wav": "audio/wav", ".mp3": "audio/mpeg", ".ogg": "audio/ogg", ".wasm": "application/wasm",
};

export interface PkgDevServerOptions {
  /** Package name → absolute folder. */
  packages: Record<string, string>;
  /** The dev server's base, starting and ending with `/`. */
  base: string;
  /** Where the index is served, relative to the base. */
  indexPath: string;
}

/**
 * Serves package files as they are and the index computed from disk. The index is rebuilt on the
 * first request after `invalidate()` (the plugin calls it when a watched file changes).
 */
export class PkgDevServer {
  private readonly hashes = new HashCache();
  private index: Promise<PkgIndex> | null = null;

  constructor(private readonly options: PkgDevServerOptions) {}

  invalidate(): void {
    this.index = null;
  }

  /** The package and path of an absolute file, when it belongs to a package. */
  packageOf(absolutePath: string): { packageName: string; path: string } | null {
    for (const [packageName, folder] of Object.entries(this.options.packages)) {
      const prefix = folder.endsWith("/") ? folder : `${folder}/`;
      if (absolutePath.startsWith(prefix)) return { packageName, path: absolutePath.slice(prefix.length) };
    }
    return null;
  }

  getIndex(): Promise<PkgIndex> {
    if (!this.index) {
      const { base, packages } = this.options;
      const building = readPackages(packages, this.hashes).then((files) =>
        buildPkgIndex(Object.keys(packages), files, (file) => ({ url: `${base}${DEV_PKG_PREFIX}${file.packageName}/${encodePath(file.path)}`, immutable: false })),
      );
      // A failed build (a folder removed) must not stick: the next request tries again.
      building.catch(() => { if (this.index === building) this.index = null; });
      this.index = building;
    }
    return this.index;
  }

  /** Answers the request when it is for the index or a package file; otherwise calls `next`. */
  handle = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void): void => {
    const pathname = (req.url ?? "/").replace(/[?#].*$/s, "");
    const { base, indexPath } = this.options;
    if (pathname === `${base}${indexPath}`) {
      this.serveIndex(req, res).catch(next);
    } else if (pathname.startsWith(`${base}${DEV_PKG_PREFIX}`)) {
      this.serveFile(req, res, pathname.slice(base.length + DEV_PKG_PREFIX.length)).catch(next);
    } else {
      next();
    }
  };

  private async serveIndex(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = Buffer.from(JSON.stringify(await this.getIndex()));
    send(req, res, 200, body, "application/json", sha256Hex(body));
  }

  private async serveFile(req: IncomingMessage, res: ServerResponse, rest: string): Promise<void> {
    const slash = rest.indexOf("/");
    const folder = slash > 0 ? this.options.packages[decodeSafely(rest.slice(0, slash))] : undefined;
    const file = folder === undefined ? null : await resolvePackageFile(folder, rest.slice(slash + 1));
    if (file === null) {
      send(req, res, 404, Buffer.from("not found\n"), "text/plain; charset=utf-8", null);
      return;
    }
    const bytes = await readFile(file);
    send(req, res, 200, bytes, CONTENT_TYPES[extname(file).toLowerCase()] ?? "application/octet-stream", sha256Hex(bytes));
  }
}

function decodeSafely(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return "";
  }
}

function send(req: IncomingMessage, res: ServerResponse, status: number, body: Buffer, contentType: string, sha256: string | null): void {
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405, { Allow: "GET, HEAD" }).end();
    return;
  }
  const headers: Record<string, string> = { "Content-Type": contentType, "Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff" };
  if (sha256 !== null) {
    const etag = `"${sha256}"`;
    headers.ETag = etag;
    const ifNoneMatch = req.headers["if-none-match"];
    if (ifNoneMatch !== undefined && ifNoneMatch.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag)) {
      res.writeHead(304, headers).end();
      return;
    }
  }
  headers["Content-Length"] = String(body.byteLength);
  res.writeHead(status, headers);
  res.end(req.method === "HEAD" ? undefined : body);
}
