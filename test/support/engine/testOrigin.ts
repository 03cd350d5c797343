// A real HTTP origin for tests (Node only, no dependencies): serves assets with validators,
// answers conditional requests, injects faults, and counts what reached it. Revalidation is tested
// by counting at the origin, never by mocking fetch. CORS is open so browser pages on another
// origin (e2e) can read ETags and send If-None-Match.
import { createHash } from "node:crypto";
import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import { listenOnLoopback } from "./listenOnLoopback.js";

export interface TestAssetOptions {
  /** Default: a strong ETag derived from the bytes. `false`: none. A string is sent as it is. */
  etag?: string | false;
  /** Default: when `setAsset` was called. `false`: none. */
  lastModified?: Date | false;
  /** Default `"no-cache"`, so the browser's HTTP cache never answers in the origin's place. */
  cacheControl?: string | false;
  contentType?: string;
  /** Extra response headers (e.g. `Vary`). */
  headers?: Record<string, string>;
  /** Send no Content-Length (chunked transfer), so the size is unknown until the end. */
  chunked?: boolean;
  /**
   * `false`: no `Accept-Ranges` and `Range` ignored (200, the whole body). A browser's HTTP cache
   * completes a truncated entry with range requests of its own where ranges are served, which
   * fault tests that count requests per asset do not expect. Default: served, as nginx does.
   */
  ranges?: boolean;
}

/**
 * One injected failure for a path, used for the next `times` requests (default: until cleared).
 * - `status`: answer with that status and a short body (tests check it never leaks into errors).
 * - `truncate`: declare the full Content-Length, send `sendBytes`, then destroy the socket.
 * - `stall`: send headers and `sendBytes`, then send nothing more until the client goes away.
 * - `hold`: wait until `release()` is called, then answer normally.
 */
export type TestFault =
  | { kind: "status"; status: number; retryAfter?: string; times?: number }
  | { kind: "truncate"; sendBytes: number; times?: number }
  | { kind: "stall"; sendBytes?: number; times?: number }
  | { kind: "hold"; times?: number };

export interface TestOriginCounts {
  /** Every GET and HEAD (preflights excluded). */
  requests: number;
  heads: number;
  /** Requests carrying If-None-Match or If-Modified-Since. */
  conditionalRequests: number;
  /** 304 answers sent. */
  notModified: number;
  /** Body bytes written to clients. */
  bodyBytes: number;
  /** Responses whose client went away before the response finished. */
  clientAborts: number;
  preflights: number;
  /** Requests (GET and HEAD) per path. */
  byPath: Record<string, number>;
  /** GETs with a `Range` header, answered 206 (or 416). */
  rangeRequests: number;
  /** Requests whose connection was cut because the origin was down (`setDown`); not in `requests`. */
  refusedWhileDown: number;
}

export interface TestOrigin {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  readonly port: number;
  readonly counts: TestOriginCounts;
  /** Serves `bytes` at `path` (a leading `/` is added if missing); setting again changes the asset. */
  setAsset(path: string, bytes: Uint8Array | string, options?: TestAssetOptions): void;
  deleteAsset(path: string): void;
  fault(path: string, fault: TestFault): void;
  clearFaults(): void;
  /** Answers every request held by a `hold` fault. */
  release(): void;
  /** Resolves once `count` requests for `path` have arrived (already arrived ones count). */
  waitForRequests(path: string, count: number): Promise<void>;
  /** Resolves once `count` client aborts have been seen in total. */
  waitForClientAborts(count: number): Promise<void>;
  /** While down, every request's connection is cut before any answer, as with a host gone away. */
  setDown(down: boolean): void;
  /** Zeroes the counts (assets and faults stay). */
  reset(): void;
  close(): Promise<void>;
}

interface StoredAsset {
  body: Buffer;
  etag: string | null;
  lastModified: Date | null;
  headers: Record<string, string>;
  chunked: boolean;
  ranges: boolean;
}

type ActiveFault = TestFault & { remaining: number };

function emptyCounts(): TestOriginCounts {
  return { requests: 0, heads: 0, conditionalRequests: 0, notModified: 0, bodyBytes: 0, clientAborts: 0, preflights: 0, byPath: {}, rangeRequests: 0, refusedWhileDown: 0 };
}

function normalisePath(path: string): string {
  return path.startsWith("/") ? path : `/${path}`;
}

export interface TestOriginOptions {
  /**
   * `open` (default): every header a test may want is exposed and preflights are answered.
   * `stock`: what a stock static server or CDN set up by the README sends: `Access-Control-Allow-Origin: *`
   * and `Access-Control-Expose-Headers: ETag`, nothing more; `OPTIONS` gets 405 (nginx's answer).
   * `none`: no CORS headers at all.
   */
  cors?: "open" | "stock" | "none";
  /** `true` (default): a single `Range: bytes=a-b` gets 206, as nginx answers; `false`: ignored (200, the whole body). */
  ranges?: boolean;
}

export async function startTestOrigin(options: TestOriginOptions = {}): Promise<TestOrigin> {
  const cors = options.cors ?? "open";
  const assets = new Map<string, StoredAsset>();
  const faults = new Map<string, ActiveFault>();
  const held: Array<() => void> = [];
  const truncated = new WeakSet<ServerResponse>();
  const waiters = new Set<() => void>();
  let counts = emptyCounts();
  let down = false;

  const changed = (): void => {
    for (const waiter of [...waiters]) waiter();
  };
  const waitUntil = (condition: () => boolean): Promise<void> =>
    new Promise((resolve) => {
      const check = (): void => {
        if (!condition()) return;
        waiters.delete(check);
        resolve();
      };
      waiters.add(check);
      check();
    });

  const takeFault = (path: string): TestFault | undefined => {
    const fault = faults.get(path);
    if (fault === undefined) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) faults.delete(path);
    return fault;
  };

  const send = (res: ServerResponse, body: Buffer): void => {
    counts.bodyBytes += body.length;
    res.end(body);
  };

  const serve = (req: IncomingMessage, res: ServerResponse, path: string): void => {
    const fault = takeFault(path);
    if (fault?.kind === "hold") {
      held.push(() => serveAsset(req, res, path, undefined));
      return;
    }
    serveAsset(req, res, path, fault);
  };

  const serveAsset = (req: IncomingMessage, res: ServerResponse, path: string, fault: TestFault | undefined): void => {
    if (res.destroyed) return;
    const head = req.method === "HEAD";
    if (fault?.kind === "status") {
      const body = Buffer.from(`injected failure ${fault.status}: SECRET-RESPONSE-BODY`);
      res.writeHead(fault.status, { "content-type": "text/plain", "content-length": body.length, ...(fault.retryAfter === undefined ? {} : { "retry-after": fault.retryAfter }) });
      if (head) res.end();
      else send(res, body);
      return;
    }
    const asset = assets.get(path);
    if (asset === undefined) {
      const body = Buffer.from("not found");
      res.writeHead(404, { "content-type": "text/plain", "content-length": body.length });
      if (head) res.end();
      else send(res, body);
      return;
    }
    const validators: Record<string, string> = {};
    if (asset.etag !== null) validators.etag = asset.etag;
    if (asset.lastModified !== null) validators["last-modified"] = asset.lastModified.toUTCString();
    if (isNotModified(req, asset)) {
      counts.notModified += 1;
      res.writeHead(304, { ...validators, ...asset.headers });
      res.end();
      return;
    }
    const ranges = options.ranges !== false && asset.ranges;
    const range = head || fault !== undefined || !ranges ? null : rangeOf(req.headers.range, asset.body.length);
    if (range !== null) {
      counts.rangeRequests += 1;
      if (range === "unsatisfiable") {
        res.writeHead(416, { "content-range": `bytes */${asset.body.length}`, ...validators, ...asset.headers });
        res.end();
        return;
      }
      const part = asset.body.subarray(range.start, range.end + 1);
      res.writeHead(206, { "content-length": part.length, "content-range": `bytes ${range.start}-${range.end}/${asset.body.length}`, "accept-ranges": "bytes", ...validators, ...asset.headers });
      send(res, part);
      return;
    }
    res.writeHead(200, { ...(asset.chunked ? {} : { "content-length": asset.body.length }), ...(ranges ? { "accept-ranges": "bytes" } : {}), ...validators, ...asset.headers });
    if (head) {
      res.end();
      return;
    }
    if (fault?.kind === "truncate") {
      const part = asset.body.subarray(0, fault.sendBytes);
      counts.bodyBytes += part.length;
      truncated.add(res);
      res.write(part, () => res.destroy());
      return;
    }
    if (fault?.kind === "stall") {
      const part = asset.body.subarray(0, fault.sendBytes ?? 0);
      counts.bodyBytes += part.length;
      res.flushHeaders();
      if (part.length > 0) res.write(part);
      return;
    }
    send(res, asset.body);
  };

  const server = createServer((req, res) => {
    if (down) {
      counts.refusedWhileDown += 1;
      req.socket.destroy();
      changed();
      return;
    }
    const path = new URL(req.url ?? "/", "http://origin.invalid").pathname;
    if (cors !== "none") res.setHeader("access-control-allow-origin", "*");
    if (cors === "open") res.setHeader("access-control-expose-headers", "ETag, Last-Modified, Content-Length, Content-Range, Retry-After, Cache-Control, Vary");
    if (cors === "stock") res.setHeader("access-control-expose-headers", "ETag");
    if (req.method === "OPTIONS" && cors !== "open") {
      counts.preflights += 1;
      res.writeHead(405, { allow: "GET, HEAD" });
      res.end();
      changed();
      return;
    }
    if (req.method === "OPTIONS") {
      counts.preflights += 1;
      res.writeHead(204, { "access-control-allow-headers": "If-None-Match, If-Modified-Since", "access-control-allow-methods": "GET, HEAD" });
      res.end();
      changed();
      return;
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD" });
      res.end();
      return;
    }
    counts.requests += 1;
    if (req.method === "HEAD") counts.heads += 1;
    if (req.headers["if-none-match"] !== undefined || req.headers["if-modified-since"] !== undefined) counts.conditionalRequests += 1;
    counts.byPath[path] = (counts.byPath[path] ?? 0) + 1;
    res.on("close", () => {
      if (!res.writableFinished && !truncated.has(res)) {
        counts.clientAborts += 1;
        changed();
      }
    });
    serve(req, res, path);
    changed();
  });
  const listener = await listenOnLoopback(server);
  const port = listener.port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get counts() {
      return counts;
    },
    setAsset(path, bytes, options = {}) {
      const body = typeof bytes === "string" ? Buffer.from(bytes, "utf8") : Buffer.from(bytes);
      const etag = options.etag === false ? null : (options.etag ?? `"${createHash("sha256").update(body).digest("hex").slice(0, 20)}"`);
      const lastModified = options.lastModified === false ? null : (options.lastModified ?? new Date());
      const headers: Record<string, string> = { "content-type": options.contentType ?? "application/octet-stream", ...options.headers };
      if (options.cacheControl !== false) headers["cache-control"] = options.cacheControl ?? "no-cache";
      assets.set(normalisePath(path), { body, etag, lastModified, headers, chunked: options.chunked === true, ranges: options.ranges !== false });
    },
    deleteAsset(path) {
      assets.delete(normalisePath(path));
    },
    fault(path, fault) {
      faults.set(normalisePath(path), { ...fault, remaining: fault.times ?? Number.POSITIVE_INFINITY });
    },
    clearFaults() {
      faults.clear();
    },
    release() {
      for (const answer of held.splice(0)) answer();
    },
    waitForRequests(path, count) {
      return waitUntil(() => (counts.byPath[normalisePath(path)] ?? 0) >= count);
    },
    waitForClientAborts(count) {
      return waitUntil(() => counts.clientAborts >= count);
    },
    setDown(value) {
      down = value;
    },
    reset() {
      counts = emptyCounts();
    },
    close() {
      held.splice(0);
      return listener.close();
    },
  };
}

/** A single `bytes=` range of a body of `size` bytes (multi-range and malformed ones are ignored: null). */
function rangeOf(header: string | undefined, size: number): { start: number; end: number } | "unsatisfiable" | null {
  const match = header === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (match === null || (match[1] === "" && match[2] === "")) return null;
  if (match[1] === "") {
    const length = Number(match[2]);
    return length === 0 || size === 0 ? "unsatisfiable" : { start: Math.max(0, size - length), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === "" ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size) return "unsatisfiable";
  return end < start ? null : { start, end };
}

/** RFC 9110 §13.2.2: If-None-Match wins over If-Modified-Since; ETags compare weakly here. */
function isNotModified(req: IncomingMessage, asset: StoredAsset): boolean {
  const ifNoneMatch = req.headers["if-none-match"];
  if (ifNoneMatch !== undefined) {
    if (asset.etag === null) return false;
    const wanted = weak(asset.etag);
    return ifNoneMatch.split(",").some((tag) => tag.trim() === "*" || weak(tag.trim()) === wanted);
  }
  const ifModifiedSince = req.headers["if-modified-since"];
  if (ifModifiedSince !== undefined && asset.lastModified !== null) {
    const since = Date.parse(ifModifiedSince);
    // HTTP dates have one-second resolution.
    return !Number.isNaN(since) && Math.floor(asset.lastModified.getTime() / 1000) <= Math.floor(since / 1000);
  }
  return false;
}

function weak(tag: string): string {
  return tag.startsWith("W/") ? tag.slice(2) : tag;
}
