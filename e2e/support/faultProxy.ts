// A forwarding HTTP proxy in front of the test origin for the faults the origin cannot make
// itself: a connection reset with no response at all, a response paused part-way until the test
// releases it, and latency. Every request is forwarded, so the origin still counts every request
// the browser makes (counting stays at the origin); the proxy only changes how the answer travels.
import { Agent, createServer, request as httpRequest } from "node:http";
import type { ClientRequest, IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import { listenOnLoopback } from "../../test/support/engine/listenOnLoopback.js";

export interface FaultProxy {
  /** Base URL without a trailing slash: another origin than the test origin's (another port). */
  readonly url: string;
  /**
   * Resets the client's connection (TCP RST) on the next `times` requests for `path`, once the
   * origin has answered: with no response at all, or with `afterBytes` set, after the headers
   * and that many body bytes. Chromium silently resends a request whose reused connection was
   * reset before any response, so only a reset after the headers is sure to reach the page.
   */
  reset(path: string, options?: { times?: number; afterBytes?: number }): void;
  /** Responses for `path` send their headers and first `sendBytes` bytes, then wait for `release(path)`. */
  gate(path: string, sendBytes: number): void;
  /** Finishes the gated responses for `path` (and lets later ones through). */
  release(path: string): void;
  /** Delays every request by a random time in [minMs, maxMs] before forwarding it (0, 0: none). */
  latency(minMs: number, maxMs: number): void;
  /** Resets made so far. */
  readonly resets: number;
  /** Responses the browser went away from before they finished (a stopped worker, a cancel). */
  readonly cut: number;
  close(): Promise<void>;
}

// Hop-by-hop headers (RFC 9110 §7.6.1) belong to one connection and are not forwarded.
const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "upgrade", "proxy-connection", "te", "trailer"]);

function forwardable(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name.toLowerCase())));
}

interface Gate {
  sendBytes: number;
  released: boolean;
  waiting: Array<() => void>;
}

/** Starts a proxy on 127.0.0.1 (a free port) that forwards to `target` (`http://127.0.0.1:port`). */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  const agent = new Agent({ keepAlive: true });
  const resets = new Map<string, { left: number; afterBytes: number | null }>();
  const gates = new Map<string, Gate>();
  let latency: [number, number] = [0, 0];
  let resetCount = 0;
  let cutCount = 0;
  const resetByUs = new WeakSet<ServerResponse>();

  const takeReset = (path: string): { afterBytes: number | null } | null => {
    const reset = resets.get(path);
    if (reset === undefined || reset.left <= 0) return null;
    reset.left -= 1;
    return reset;
  };

  const answer = (req: IncomingMessage, res: ServerResponse, path: string, up: IncomingMessage): void => {
    const reset = takeReset(path);
    if (reset !== null) {
      // Let the origin finish its answer (so it counts no abort), then reset the browser's connection.
      const chunks: Buffer[] = [];
      up.on("data", (chunk: Buffer) => chunks.push(chunk));
      up.on("end", () => {
        const resetNow = (): void => {
          resetCount += 1;
          resetByUs.add(res);
          req.socket.resetAndDestroy();
        };
        if (reset.afterBytes === null) return resetNow();
        res.writeHead(up.statusCode ?? 502, up.statusMessage, forwardable(up.headers));
        res.write(Buffer.concat(chunks).subarray(0, reset.afterBytes), () => resetNow());
      });
      return;
    }
    res.writeHead(up.statusCode ?? 502, up.statusMessage, forwardable(up.headers));
    // A response the origin cut short (truncation) must reach the browser cut short too.
    up.on("aborted", () => res.destroy());
    up.on("error", () => res.destroy());
    const gate = gates.get(path);
    if (gate === undefined || gate.released) {
      up.pipe(res);
      return;
    }
    const chunks: Buffer[] = [];
    up.on("data", (chunk: Buffer) => chunks.push(chunk));
    up.on("end", () => {
      const body = Buffer.concat(chunks);
      res.write(body.subarray(0, gate.sendBytes));
      const finish = (): void => void (res.destroyed || res.end(body.subarray(gate.sendBytes)));
      if (gate.released) finish();
      else gate.waiting.push(finish);
    });
  };

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://proxy.invalid").pathname;
    const [min, max] = latency;
    const wait = max > 0 ? min + Math.random() * (max - min) : 0;
    let out: ClientRequest | null = null;
    // The browser went away (a stopped worker, a stall timeout), while the request waited here or
    // at the origin: so does the request to the origin.
    res.on("close", () => {
      if (res.writableFinished || resetByUs.has(res)) return;
      cutCount += 1;
      out?.destroy();
    });
    const forward = (): void => {
      if (res.destroyed || req.socket.destroyed) return;
      out = httpRequest(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...forwardable(req.headers), host: upstream.host }, agent },
        (up) => answer(req, res, path, up),
      );
      out.on("error", () => res.destroy());
      req.pipe(out);
    };
    if (wait > 0) setTimeout(forward, wait);
    else forward();
  });
  const listener = await listenOnLoopback(server);
  const normalise = (path: string): string => (path.startsWith("/") ? path : `/${path}`);

  return {
    url: listener.url,
    get resets() {
      return resetCount;
    },
    get cut() {
      return cutCount;
    },
    reset(path, options = {}) {
      resets.set(normalise(path), { left: options.times ?? 1, afterBytes: options.afterBytes ?? null });
    },
    gate(path, sendBytes) {
      gates.set(normalise(path), { sendBytes, released: false, waiting: [] });
    },
    release(path) {
      const gate = gates.get(normalise(path));
      if (gate === undefined) return;
      gate.released = true;
      for (const finish of gate.waiting.splice(0)) finish();
    },
    latency(minMs, maxMs) {
      latency = [minMs, maxMs];
    },
    close() {
      agent.destroy();
      return listener.close();
    },
  };
}
