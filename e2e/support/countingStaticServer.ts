import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { extname, join, normalize } from "node:path";
import { listenOnLoopback } from "../../test/support/engine/listenOnLoopback.js";

export interface CountingStaticServer {
  /** e.g. `http://127.0.0.1:41234` (no trailing slash). */
  url: string;
  httpServer: Server;
  /** GET requests per path (with its query, when it has one) since the last `reset`. */
  readonly byPath: Record<string, number>;
  /** GETs with a `Range` header since the last `reset`. */
  readonly rangeRequests: () => number;
  /** `false`: answer every request 200 with the whole file, as a server that ignores `Range` does. */
  setRanges(honoured: boolean): void;
  /** Serve `bytes` at `path` instead of the file (a corrupt pack). */
  override(path: string, bytes: Uint8Array): void;
  reset(): void;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".json": "application/json", ".css": "text/css" };

/** A static host for a built app that counts what reaches it; single byte ranges are answered 206, as nginx does. */
export async function startCountingStaticServer(root: string): Promise<CountingStaticServer> {
  let byPath: Record<string, number> = {};
  let ranges = 0;
  let honourRanges = true;
  const overrides = new Map<string, Uint8Array>();
  const httpServer = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://x");
      const path = decodeURIComponent(url.pathname);
      const counted = `${path}${url.search}`;
      byPath[counted] = (byPath[counted] ?? 0) + 1;
      const file = normalize(join(root, path.endsWith("/") ? `${path}index.html` : path));
      let body: Uint8Array;
      try {
        if (!file.startsWith(normalize(root))) throw new Error("outside the root");
        body = overrides.get(path) ?? (await readFile(file));
      } catch {
        res.writeHead(404).end();
        return;
      }
      const headers = { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "cache-control": "no-cache", "accept-ranges": "bytes" };
      const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? "");
      if (req.headers.range !== undefined) ranges += 1;
      if (range !== null && honourRanges) {
        const first = Number(range[1]);
        const last = range[2] === "" ? body.length - 1 : Math.min(Number(range[2]), body.length - 1);
        if (first <= last) {
          res.writeHead(206, { ...headers, "content-length": last - first + 1, "content-range": `bytes ${first}-${last}/${body.length}` });
          res.end(body.subarray(first, last + 1));
          return;
        }
      }
      res.writeHead(200, { ...headers, "content-length": body.length });
      res.end(body);
    })();
  });
  const listener = await listenOnLoopback(httpServer);
  return {
    url: listener.url,
    httpServer,
    get byPath() {
      return byPath;
    },
    rangeRequests: () => ranges,
    setRanges: (honoured) => void (honourRanges = honoured),
    override: (path, bytes) => void overrides.set(path, bytes),
    reset: () => {
      byPath = {};
      ranges = 0;
    },
    // A test may have taken it down already (offline).
    close: () => (httpServer.listening ? listener.close() : Promise.resolve()),
  };
}
