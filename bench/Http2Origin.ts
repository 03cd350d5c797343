import { constants, createSecureServer, type Http2SecureServer, type Http2ServerRequest, type Http2ServerResponse } from "node:http2";
import type { AddressInfo, Socket } from "node:net";
import { ASSET_PREFIX, type AssetOrigin, AssetResponder } from "./AssetResponder.js";
import type { AssetStore } from "./AssetStore.js";
import type { SelfSignedCertificate } from "./tls/selfSignedCertificate.js";

// The pages live on their http://127.0.0.1 origin (a secure context, so service workers run), and
// fetch these assets across origins: CORS must allow it, and ours reads the ETag.
const CORS_HEADERS = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Expose-Headers": "ETag",
};
// A conditional request across origins sends If-None-Match, which is not CORS-safelisted: the
// browser asks first. Cached for the run, so a revalidation costs one preflight per URL at most.
const PREFLIGHT_HEADERS = {
  "Access-Control-Allow-Methods": "GET, HEAD",
  "Access-Control-Allow-Headers": "If-None-Match",
  "Access-Control-Max-Age": "600",
};

/**
 * The generated assets over HTTP/2 with TLS on 127.0.0.1, answered by the same responder as the
 * HTTP/1.1 origin (ETags, 304s, cache policy, counting). HTTP/2 only (no HTTP/1.1 fallback; Node
 * answers an HTTP/1.1 client 403): a browser that did not negotiate h2 fails every load instead of
 * quietly measuring HTTP/1.1. Assets only; the pages stay on their own origin.
 */
export class Http2Origin implements AssetOrigin {
  readonly assets: AssetResponder;
  readonly #server: Http2SecureServer;
  readonly #sockets = new Set<Socket>();
  #url: string | null = null;

  private constructor(store: AssetStore, certificate: SelfSignedCertificate) {
    this.assets = new AssetResponder(store);
    this.#server = createSecureServer({ key: certificate.key, cert: certificate.cert, allowHTTP1: false }, (request, response) => this.#handle(request, response));
    this.#server.on("connection", (socket: Socket) => {
      this.#sockets.add(socket);
      socket.once("close", () => this.#sockets.delete(socket));
    });
  }

  static async start(store: AssetStore, certificate: SelfSignedCertificate): Promise<Http2Origin> {
    const origin = new Http2Origin(store, certificate);
    await new Promise<void>((resolve, reject) => {
      origin.#server.once("error", reject);
      origin.#server.listen(0, "127.0.0.1", () => resolve());
    });
    origin.#url = `https://127.0.0.1:${(origin.#server.address() as AddressInfo).port}`;
    return origin;
  }

  get url(): string {
    if (!this.#url) throw new Error("the HTTP/2 origin is not listening");
    return this.#url;
  }

  /** Destroys open connections (a browser keeps its session alive, which would hold `close` up), then closes the server. */
  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #handle(request: Http2ServerRequest, response: Http2ServerResponse): void {
    const path = decodeURIComponent(new URL(request.url, "https://origin").pathname);
    for (const [name, value] of Object.entries(CORS_HEADERS)) response.setHeader(name, value);
    if (!path.startsWith(ASSET_PREFIX)) {
      response.writeHead(404, { "Content-Type": "text/plain" }).end("not found");
      return;
    }
    if (request.method === "OPTIONS") for (const [name, value] of Object.entries(PREFLIGHT_HEADERS)) response.setHeader(name, value);
    const ask = {
      method: request.method,
      ifNoneMatch: request.headers["if-none-match"],
      range: request.headers.range,
      // One stream reset, not the session: on HTTP/2 every request shares the connection, and
      // offline must fail each request, as dropping an HTTP/1.1 connection fails its one request.
      // Not REFUSED_STREAM, which tells the browser it may retry.
      drop: () => request.stream.close(constants.NGHTTP2_INTERNAL_ERROR),
    };
    this.assets.serve(path, ask, response);
  }
}
