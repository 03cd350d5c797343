import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { extname, join, normalize, sep } from "node:path";
import { type LoopbackListener, listenOnLoopback } from "../test/support/engine/listenOnLoopback.js";
import { ASSET_PREFIX, type AssetOrigin, AssetResponder, etagMatches, MIME } from "./AssetResponder.js";
import type { AssetStore } from "./AssetStore.js";

/**
 * The benchmark's own HTTP/1.1 loopback origin: serves the built peer pages and, through its
 * `assets` responder, the generated assets. `assets.offline` refuses asset requests by dropping
 * the connection (a network error to the page), while the pages themselves still load, as an app
 * shell precached or in the HTTP cache would.
 */
export class BenchOrigin implements AssetOrigin {
  readonly assets: AssetResponder;
  readonly #server: Server;
  #listener: LoopbackListener | null = null;
  readonly #siteDir: string;
  readonly #siteEtags = new Map<string, { bytes: Buffer; etag: string }>();

  private constructor(store: AssetStore, siteDir: string) {
    this.assets = new AssetResponder(store);
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

  async close(): Promise<void> {
    await this.#listener?.close();
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = decodeURIComponent(new URL(request.url ?? "/", "http://origin").pathname);
    if (!path.startsWith(ASSET_PREFIX)) return this.#serveSite(path, request, response);
    const ask = { method: request.method ?? "GET", ifNoneMatch: request.headers["if-none-match"], range: request.headers.range, drop: () => request.socket.destroy() };
    this.assets.serve(path, ask, response);
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
      // per-frame flush() cost needs. The pages' own files are same-origin; the HTTP/2 origin's
      // assets are fetched in CORS mode, which require-corp lets through.
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
