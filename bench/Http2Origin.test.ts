import { mkdtemp, rm } from "node:fs/promises";
import { get } from "node:https";
import { type ClientHttp2Session, connect, type IncomingHttpHeaders, type OutgoingHttpHeaders } from "node:http2";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AssetStore } from "./AssetStore.js";
import { Http2Origin } from "./Http2Origin.js";
import { makeSelfSignedCertificate, type SelfSignedCertificate } from "./tls/selfSignedCertificate.js";

let temp: string;
let store: AssetStore;
let certificate: SelfSignedCertificate;
let origin: Http2Origin;
let client: ClientHttp2Session;

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** One request on the shared session, read whole; rejects when the server resets the stream. */
function ask(path: string, headers: OutgoingHttpHeaders = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const stream = client.request({ ":path": path, ...headers });
    const chunks: Buffer[] = [];
    let responseHeaders: IncomingHttpHeaders = {};
    stream.on("response", (received) => (responseHeaders = received));
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("error", reject);
    stream.on("end", () => resolve({ status: Number(responseHeaders[":status"]), headers: responseHeaders, body: Buffer.concat(chunks) }));
    stream.end();
  });
}

beforeAll(async () => {
  temp = await mkdtemp(join(tmpdir(), "bench-h2-"));
  store = await AssetStore.generate(join(temp, "assets"), { smallCount: 3, smallBytes: 256, largeCount: 1, largeBytes: 4096, imageCount: 1 });
  certificate = await makeSelfSignedCertificate(temp);
  origin = await Http2Origin.start(store, certificate);
  // Trusts exactly the certificate made for this run, as Chromium does through its SPKI hash.
  client = connect(origin.url, { ca: certificate.cert });
});

afterAll(async () => {
  client?.close();
  await origin?.close();
  await rm(temp, { recursive: true, force: true });
});

describe("Http2Origin", () => {
  it("listens on 127.0.0.1 over TLS with a certificate for that address", () => {
    expect(origin.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it("serves an asset over HTTP/2 with a strong ETag, CORS headers that expose it, and counts request and body bytes", async () => {
    origin.assets.takeCounters();
    const answer = await ask("/assets/small/0001.json");
    expect(client.alpnProtocol).toBe("h2");
    expect(answer.status).toBe(200);
    expect(answer.headers.etag).toMatch(/^"[^"]+"$/);
    expect(answer.headers["access-control-allow-origin"]).toBe("*");
    expect(answer.headers["access-control-expose-headers"]).toBe("ETag");
    expect((JSON.parse(answer.body.toString("utf8")) as { id: number }).id).toBe(1);
    expect(origin.assets.takeCounters()).toEqual({ requests: 1, notModified: 0, bodyBytes: 256, refused: 0 });
  });

  it("answers a matching If-None-Match with 304 and no body, and labels assets with the cache policy", async () => {
    origin.assets.cachePolicy = "max-age";
    const first = await ask("/assets/small/0002.json");
    expect(first.headers["cache-control"]).toBe("max-age=3600");
    origin.assets.takeCounters();
    const again = await ask("/assets/small/0002.json", { "if-none-match": String(first.headers.etag) });
    expect(again.status).toBe(304);
    expect(again.body.byteLength).toBe(0);
    expect(origin.assets.takeCounters()).toEqual({ requests: 1, notModified: 1, bodyBytes: 0, refused: 0 });
    origin.assets.cachePolicy = "no-cache";
  });

  it("answers the CORS preflight of a conditional request", async () => {
    const preflight = await ask("/assets/small/0000.json", { ":method": "OPTIONS", "access-control-request-headers": "if-none-match" });
    expect(preflight.status).toBe(204);
    expect(String(preflight.headers["access-control-allow-headers"]).toLowerCase()).toContain("if-none-match");
  });

  it("offline: fails each asset request on its own stream, the session and other requests go on", async () => {
    origin.assets.takeCounters();
    origin.assets.offline = true;
    try {
      await expect(ask("/assets/small/0000.json")).rejects.toThrow();
    } finally {
      origin.assets.offline = false;
    }
    expect((await ask("/assets/small/0000.json")).status).toBe(200);
    expect(origin.assets.takeCounters()).toMatchObject({ requests: 2, refused: 1, bodyBytes: 256 });
  });

  it("settles once its bodies are sent (the stream's close is seen)", async () => {
    await ask("/assets/large/0000.bin");
    const started = Date.now();
    await origin.assets.settle(50, 5_000);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  // Node's https client offers no ALPN at all: an HTTP/1.1-only client.
  it("refuses HTTP/1.1 (Node answers 403 before any asset is served), so a browser that did not negotiate h2 fails instead of measuring HTTP/1.1", async () => {
    origin.assets.takeCounters();
    const status = await new Promise<number>((resolve, reject) => {
      get(`${origin.url}/assets/small/0000.json`, { ca: certificate.cert, agent: false }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      }).on("error", reject);
    });
    expect(status).toBe(403);
    expect(origin.assets.takeCounters().requests).toBe(0);
  });

  it("serves no pages, only assets", async () => {
    expect((await ask("/plain/index.html")).status).toBe(404);
  });
});
