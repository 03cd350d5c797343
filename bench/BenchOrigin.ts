import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { extname, join, normalize, sep } from "node:path";
import { type LoopbackListener, listenOnLoopback } from "../src/engine/testing/listenOnLoopback.js";
import type { AssetStore } from "./AssetStore.js";

/**
 * How the origin labels assets: `max-age` lets every cache reuse them for an hour without asking;
 * `no-cache` makes an HTTP-faithful cache revalidate before each use.
 */
export type CachePolicy = "max-age" | "no-cache";

export interface OriginCounters {
  /** Asset requests that reached the origin (any method, answered or refused). */
  requests: number;
  /** Of those, answered 304 Not Modified. */
  notModified: number;
  /** Body bytes sent for asset requests. */
  bodyBytes: number;
  /** Asset requests refused while offline. */
  refused: number;
}

const MIME: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".map": "application/json",
  ".bin": "application/octet-stream",
  ".wasm": "application/wasm",
};

const ASSET_PREFIX = "/assets/";

function zeroCounters(): OriginCounters {
  return { requests: 0, notModified: 0, bodyBytes: 0, refused: 0 };
}

function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === "*") return true;
  // If-None-Match uses the weak comparison (RFC 9110 §13.1.2).
  const bare = etag.replace(/^W\//, "");
  return header.split(",").some((candidate) => candidate.trim().replace(/^W\//, "") === bare);
}

/**
 * The benchmark's own loopback origin: serves the built peer pages and the generated assets with
 * strong ETags and 304s, and counts every asset request and body byte. `offline` refuses asset
 * requests by dropping the connection (a network error to the page), while the pages themselves
 * still load, as an app shell precached or in the HTTP cache would.
 */
export class BenchOrigin {
  cachePolicy: CachePolicy = "no-cache";
  offline = false;
  #counters = zeroCounters();
  #inFlight = 0;
  #lastActivity = Date.now();
  readonly #server: Server;
  #listener: LoopbackListener | null = null;
  readonly #store: AssetStore;
  readonly #siteDir: string;
  readonly #siteEtags = new Map<string, { bytes: Buffer; etag: string }>();

  private constructor(store: AssetStore, siteDir: string) {
    this.#store = store;
    this.#siteDir = siteDir;
    this.#server = createServer((request, response) => void this.#handle(request, response));
  }

  static async start(store: AssetStore, siteDir: string): Promise<BenchOrigin> {
    const origin = new BenchOrigin(store, siteDir);
    origin.#listener = await listenOnLoopback(origin.#server);
    return origin;
  }

  get url(): string {
    if (!this.#listener) throw new Error("the bench origin is not listening");
    return this.#listener.url;
  }

  /** Counters since the last call, which starts a new count. */
  takeCounters(): OriginCounters {
    const counters = this.#counters;
    this.#counters = zeroCounters();
    return counters;
  }

  /** Resolves once no asset request has been in flight for `idleMs` (background revalidation done). */
  async settle(idleMs = 200, maxMs = 10_000): Promise<void> {
    const deadline = Date.now() + maxMs;
    while (Date.now() < deadline) {
      if (this.#inFlight === 0 && Date.now() - this.#lastActivity >= idleMs) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async close(): Promise<void> {
    await this.#listener?.close();
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = decodeURIComponent(new URL(request.url ?? "/", "http://origin").pathname);
    if (path.startsWith(ASSET_PREFIX)) this.#serveAsset(path, request, response);
    else await this.#serveSite(path, request, response);
  }

  #serveAsset(path: string, request: IncomingMessage, response: ServerResponse): void {
    this.#counters.requests++;
    this.#lastActivity = Date.now();
    if (this.offline) {
      this.#counters.refused++;
      request.socket.destroy();
      return;
    }
    const asset = this.#store.get(path);
    if (!asset) {
      response.writeHead(404, { "Content-Type": "text/plain" }).end("not found");
      return;
    }
    const headers = {
      ETag: asset.etag,
      "Cache-Control": this.cachePolicy === "max-age" ? "max-age=3600" : "no-cache",
      "Content-Type": MIME[extname(path)] ?? "application/octet-stream",
    };
    if (etagMatches(request.headers["if-none-match"], asset.etag)) {
      this.#counters.notModified++;
      response.writeHead(304, headers).end();
      return;
    }
    response.writeHead(200, { ...headers, "Content-Length": String(asset.bytes.byteLength) });
    if (request.method === "HEAD") {
      response.end();
      return;
    }
    this.#inFlight++;
    const done = (): void => {
      this.#inFlight--;
      this.#lastActivity = Date.now();
    };
    response.once("close", done);
    // Counted as handed to the socket: a body the client aborts is counted up to that point by Node's buffering.
    this.#counters.bodyBytes += asset.bytes.byteLength;
    response.end(asset.bytes);
  }

  async #serveSite(path: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
    const relative = normalize(path.endsWith("/") ? `${path}index.html` : path);
    const file = join(this.#siteDir, relative);
    if (!file.startsWith(this.#siteDir + sep)) {
      response.writeHead(403).end();
      return;
    }
    let entry = this.#siteEtags.get(file);
    if (!entry) {
      try {
        const bytes = await readFile(file);
        entry = { bytes, etag: `"${createHash("sha256").update(bytes).digest("base64url").slice(0, 27)}"` };
        this.#siteEtags.set(file, entry);
      } catch {
        response.writeHead(404, { "Content-Type": "text/plain" }).end("not found");
        return;
      }
    }
    const headers = {
      ETag: entry.etag,
      "Cache-Control": "no-cache",
      "Content-Type": MIME[extname(file)] ?? "application/octet-stream",
      // Cross-origin isolation: performance.now() then resolves 5 µs instead of 100 µs, which a
      // per-frame flush() cost needs. Everything the pages load is same-origin, so nothing breaks.
      "Cross-Origin-Opener-Policy": "same-origin",
      "Cross-Origin-Embedder-Policy": "require-corp",
    };
    if (etagMatches(request.headers["if-none-match"], entry.etag)) {
      response.writeHead(304, headers).end();
      return;
    }
    response.writeHead(200, { ...headers, "Content-Length": String(entry.bytes.byteLength) });
    response.end(request.method === "HEAD" ? undefined : entry.bytes);
  }
}
