import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname } from "node:path";
import { resolvePackageFile } from "../../vite/packageFiles.js";

/** The file a "deploy" rewrites: the game's news banner. Everything else stays as shipped. */
export const DEPLOYED_FILE = "news.json";

const HEADLINES = [
  "Hotfix deployed: slimes are 10% bouncier.",
  "New season! The gems now sparkle twice as much.",
  "Server maintenance finished. Thanks for your patience!",
  "Weekend event: every coin counts double (not really).",
];

const CONTENT_TYPES: Record<string, string> = {
  ".png": "image/png", ".json": "application/json", ".txt": "text/plain; charset=utf-8",
};

/** What the origin counts, per file: full responses (new bytes) and 304s. */
export interface DemoOriginStats {
  deploys: number;
  delayMs: number;
  totals: { full: number; notModified: number; bytes: number };
  files: Record<string, { full: number; notModified: number }>;
}

/**
 * A stand-in for a game's content server, mounted under a path of the dev or preview server:
 * serves a folder with strong ETags and `Cache-Control: no-cache` (always revalidate), counts what
 * it sends, and can "deploy" a new version of one file.
 *
 * Control endpoints: `POST __deploy`, `GET __stats`, `POST __reset`, `POST __config?delayMs=N`
 * (slows every file response down, for screenshots of the loading screen).
 */
export class DemoOrigin {
  private deploys = 0;
  private delayMs = 0;
  private files: DemoOriginStats["files"] = {};
  private totals = { full: 0, notModified: 0, bytes: 0 };

  constructor(
    private readonly folder: string,
    /** Mount path, starting and ending with `/`. */
    readonly prefix: string,
  ) {}

  handle = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void): void => {
    const url = new URL(req.url ?? "/", "http://origin.invalid");
    if (!url.pathname.startsWith(this.prefix)) return next();
    const path = url.pathname.slice(this.prefix.length);
    this.route(req, res, path, url.searchParams).catch(next);
  };

  private async route(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): Promise<void> {
    if (path.startsWith("__")) {
      if (path === "__stats" && req.method === "GET") return sendJson(res, this.stats());
      if (req.method !== "POST") return void res.writeHead(405, { Allow: "POST" }).end();
      if (path === "__deploy") {
        this.deploys += 1;
        return sendJson(res, { deploy: this.deploys, changed: [DEPLOYED_FILE] });
      }
      if (path === "__reset") {
        this.deploys = 0;
        this.delayMs = 0;
        this.files = {};
        this.totals = { full: 0, notModified: 0, bytes: 0 };
        return sendJson(res, this.stats());
      }
      if (path === "__config") {
        const delay = Number(query.get("delayMs"));
        this.delayMs = Number.isFinite(delay) && delay >= 0 ? Math.min(delay, 10_000) : 0;
        return sendJson(res, this.stats());
      }
      return void res.writeHead(404).end();
    }
    if (req.method === "OPTIONS") {
      return void res.writeHead(204, { "Access-Control-Allow-Origin": "*", "Access-Control-Allow-Headers": "If-None-Match, If-Modified-Since", "Access-Control-Max-Age": "600" }).end();
    }
    if (req.method !== "GET" && req.method !== "HEAD") return void res.writeHead(405, { Allow: "GET, HEAD" }).end();
    const body = await this.contentOf(path);
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    if (body === null) return void res.writeHead(404, { "Content-Type": "text/plain" }).end("not found\n");
    const etag = `"${createHash("sha256").update(body).digest("hex").slice(0, 32)}"`;
    const headers = {
      ETag: etag,
      "Cache-Control": "no-cache",
      // Lets a page on another origin read the ETag (this one is same-origin, but a real CDN is not).
      "Access-Control-Allow-Origin": "*",
      "Access-Control-Expose-Headers": "ETag",
    };
    const counts = (this.files[path] ??= { full: 0, notModified: 0 });
    const ifNoneMatch = req.headers["if-none-match"];
    if (ifNoneMatch !== undefined && ifNoneMatch.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag)) {
      counts.notModified += 1;
      this.totals.notModified += 1;
      return void res.writeHead(304, headers).end();
    }
    counts.full += 1;
    this.totals.full += 1;
    this.totals.bytes += body.byteLength;
    res.writeHead(200, { ...headers, "Content-Type": CONTENT_TYPES[extname(path)] ?? "application/octet-stream", "Content-Length": String(body.byteLength) });
    res.end(req.method === "HEAD" ? undefined : body);
  }

  private async contentOf(path: string): Promise<Buffer | null> {
    if (path === DEPLOYED_FILE && this.deploys > 0) {
      const headline = HEADLINES[(this.deploys - 1) % HEADLINES.length]!;
      return Buffer.from(`${JSON.stringify({ deploy: this.deploys, headline: `Deploy #${this.deploys}: ${headline}` }, null, 1)}\n`);
    }
    const file = await resolvePackageFile(this.folder, path);
    return file === null ? null : readFile(file);
  }

  stats(): DemoOriginStats {
    return { deploys: this.deploys, delayMs: this.delayMs, totals: { ...this.totals }, files: structuredClone(this.files) };
  }
}

function sendJson(res: ServerResponse, value: unknown): void {
  res.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-store" }).end(JSON.stringify(value));
}
