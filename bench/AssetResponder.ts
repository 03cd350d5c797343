import type { OutgoingHttpHeaders } from "node:http";
import { extname } from "node:path";
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

/** The part of an HTTP/1.1 or HTTP/2 (compatibility API) response the responder writes. */
export interface AssetReply {
  writeHead(status: number, headers: OutgoingHttpHeaders): unknown;
  end(): unknown;
  end(body: Uint8Array): unknown;
  once(event: "close", listener: () => void): unknown;
}

export interface AssetAsk {
  method: string;
  ifNoneMatch: string | undefined;
  /** The `Range` header: packs are read by byte ranges. */
  range?: string | undefined;
  /** Fails this one request at the network level (what `offline` does). */
  drop(): void;
}

/** An origin the benchmark's assets are fetched from, whatever protocol it speaks. */
export interface AssetOrigin {
  readonly url: string;
  readonly assets: AssetResponder;
  close(): Promise<void>;
}

export const ASSET_PREFIX = "/assets/";

export const MIME: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".map": "application/json",
  ".bin": "application/octet-stream",
  ".png": "image/png",
  ".wasm": "application/wasm",
};

function zeroCounters(): OriginCounters {
  return { requests: 0, notModified: 0, bodyBytes: 0, refused: 0 };
}

export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === "*") return true;
  // If-None-Match uses the weak comparison (RFC 9110 §13.1.2).
  const bare = etag.replace(/^W\//, "");
  return header.split(",").some((candidate) => candidate.trim().replace(/^W\//, "") === bare);
}

/**
 * Answers requests for the generated assets with strong ETags and 304s, and counts every asset
 * request and body byte. One per origin, so each origin's figures and switches (cache policy,
 * offline) are its own; the HTTP/1.1 and HTTP/2 origins share it so they behave alike.
 */
export class AssetResponder {
  cachePolicy: CachePolicy = "no-cache";
  offline = false;
  #counters = zeroCounters();
  #inFlight = 0;
  #lastActivity = Date.now();
  readonly #store: AssetStore;

  constructor(store: AssetStore) {
    this.#store = store;
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

  serve(path: string, ask: AssetAsk, reply: AssetReply): void {
    this.#counters.requests++;
    this.#lastActivity = Date.now();
    if (this.offline) {
      this.#counters.refused++;
      ask.drop();
      return;
    }
    // A CORS preflight (a conditional request across origins sends If-None-Match); the caller has
    // set the Access-Control headers that answer it.
    if (ask.method === "OPTIONS") {
      reply.writeHead(204, {});
      reply.end();
      return;
    }
    const asset = this.#store.get(path) ?? this.#store.derived(path);
    if (!asset) {
      reply.writeHead(404, { "Content-Type": "text/plain" });
      reply.end(Buffer.from("not found"));
      return;
    }
    const headers = {
      ETag: asset.etag,
      "Cache-Control": this.cachePolicy === "max-age" ? "max-age=3600" : "no-cache",
      "Content-Type": MIME[extname(path)] ?? "application/octet-stream",
    };
    if (etagMatches(ask.ifNoneMatch, asset.etag)) {
      this.#counters.notModified++;
      reply.writeHead(304, headers);
      reply.end();
      return;
    }
    const range = byteRange(ask.range, asset.bytes.byteLength);
    const body = range === null ? asset.bytes : asset.bytes.subarray(range.first, range.last + 1);
    const rangeHeaders = range === null ? {} : { "Content-Range": `bytes ${range.first}-${range.last}/${asset.bytes.byteLength}` };
    reply.writeHead(range === null ? 200 : 206, { ...headers, ...rangeHeaders, "Content-Length": String(body.byteLength) });
    if (ask.method === "HEAD") {
      reply.end();
      return;
    }
    this.#inFlight++;
    reply.once("close", () => {
      this.#inFlight--;
      this.#lastActivity = Date.now();
    });
    // Counted as handed to the transport: a body the client aborts is counted up to that point by Node's buffering.
    this.#counters.bodyBytes += body.byteLength;
    reply.end(body);
  }
}

/**
 * One satisfiable `bytes=first-last` (or `first-`) range, else null: the whole body, as a server
 * that ignores what it does not understand answers (RFC 9110 §14.2 lets it).
 */
export function byteRange(header: string | undefined, size: number): { first: number; last: number } | null {
  const match = header === undefined ? null : /^bytes=(\d+)-(\d*)$/.exec(header.trim());
  if (!match) return null;
  const first = Number(match[1]);
  const last = match[2] === "" ? size - 1 : Math.min(Number(match[2]), size - 1);
  return first <= last ? { first, last } : null;
}
