import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AssetError } from "../kernel/AssetError.js";
import { verifyIntegrity } from "../kernel/verifyIntegrity.js";
import type { HttpOutcome, HttpRequest } from "../kernel/protocol.js";
import type { HttpBackend, HttpCallContext } from "../kernel/HttpBackend.js";
import type { PkgIndex } from "../kernel/PkgIndex.js";
import { PkgSource } from "./PkgSource.js";
import { failure, readContext, text } from "../../test/support/sources/readContext.js";

// PkgSource's browser side against a real HTTP server: the index logic, with a backend that does a
// plain fetch and checks integrity the way the engine does.

const sha256 = (content: string) => createHash("sha256").update(content).digest("hex");

const files: Record<string, string> = {
  "/assets/files/hero.png": "PNG bytes",
  "/hashed/level.1234.json": '{"level":1}',
  "/assets/files/ui/button.png": "button",
  "/assets/files/ui/deep/icon.png": "icon",
};

function indexFor(content: Record<string, string>): PkgIndex {
  return {
    version: 1,
    packages: {
      game: {
        files: {
          "textures/hero.png": { url: "../files/hero.png", size: 9, sha256: sha256(content["/assets/files/hero.png"]!), immutable: false },
          "level.json": { url: "/hashed/level.1234.json", size: 11, sha256: sha256(content["/hashed/level.1234.json"]!), immutable: true },
          "textures/ui/button.png": { url: "../files/ui/button.png", size: 6, sha256: sha256(content["/assets/files/ui/button.png"]!), immutable: true },
          "textures/ui/deep/icon.png": { url: "../files/ui/deep/icon.png", size: 4, sha256: sha256(content["/assets/files/ui/deep/icon.png"]!), immutable: true },
        },
      },
      other: { files: {} },
    },
  };
}

let server: Server;
let origin: string;
let indexBody: string;
let indexStatus: number;
let served: Record<string, string>;
const hits = new Map<string, number>();

class FetchBackend implements HttpBackend {
  readonly kind = "in-page";
  readonly requests: HttpRequest[] = [];
  readonly invalidated: string[] = [];

  async fetch(request: HttpRequest, ctx: HttpCallContext): Promise<HttpOutcome> {
    this.requests.push(request);
    const response = await fetch(request.url, { signal: ctx.signal });
    if (!response.ok) throw new AssetError(response.status === 404 ? "NOT_FOUND" : "HTTP", request.url, { status: response.status });
    const bytes = new Uint8Array(await response.arrayBuffer());
    ctx.onProgress(bytes.byteLength, bytes.byteLength);
    if (request.integrity !== undefined && !(await verifyIntegrity(bytes, request.integrity))) throw new AssetError("INTEGRITY", request.url);
    return { bytes, version: response.headers.get("etag"), servedFrom: "network" };
  }
  async invalidate(url: string) {
    this.invalidated.push(url);
  }
  async clear() {}
  async stats() {
    return { entries: 0, bytes: 0, budgetBytes: 0 };
  }
  dispose() {}
}

beforeAll(async () => {
  server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://x").pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    if (path === "/assets/simvx-assets/pkg-index.json") {
      response.writeHead(indexStatus, { "content-type": "application/json" }).end(indexBody);
    } else if (Object.hasOwn(served, path)) {
      response.writeHead(200, { etag: `"${path}"` }).end(served[path]);
    } else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  served = { ...files };
  indexBody = JSON.stringify(indexFor(served));
  indexStatus = 200;
  hits.clear();
});

const indexUrl = () => `${origin}/assets/simvx-assets/pkg-index.json`;
const indexHits = () => hits.get("/assets/simvx-assets/pkg-index.json") ?? 0;

function makeSource() {
  const backend = new FetchBackend();
  return { backend, source: new PkgSource({ backend, indexUrl: indexUrl() }) };
}


describe("PkgSource in a browser (build index)", () => {
  it("reads a file through the backend, checked against the index hash, which is its version", async () => {
    const { source, backend } = makeSource();
    const result = await source.read("pkg://game/textures/hero.png", readContext());
    expect(text(result)).toBe("PNG bytes");
    expect(result.version).toBe(sha256("PNG bytes"));
    expect(backend.requests).toHaveLength(1);
    expect(backend.requests[0]).toMatchObject({
      url: `${origin}/assets/files/hero.png`,
      knownVersion: null,
      cache: true,
      immutable: false,
      integrity: `sha256-${createHash("sha256").update("PNG bytes").digest("base64")}`,
    });
  });

  it("resolves absolute index urls against the origin and passes immutable through", async () => {
    const { source, backend } = makeSource();
    expect(text(await source.read("pkg://game/level.json", readContext()))).toBe('{"level":1}');
    expect(backend.requests[0]).toMatchObject({ url: `${origin}/hashed/level.1234.json`, immutable: true });
  });

  it("fetches the index once for many reads and lists", async () => {
    const { source } = makeSource();
    await Promise.all([source.read("pkg://game/textures/hero.png", readContext()), source.read("pkg://game/level.json", readContext())]);
    await source.list("pkg://game/", { recursive: true });
    expect(indexHits()).toBe(1);
  });

  it("answers notModified for the index hash without fetching the file", async () => {
    const { source, backend } = makeSource();
    const version = sha256('{"level":1}');
    expect(await source.read("pkg://game/level.json", readContext({ knownVersion: version }))).toEqual({ notModified: true, version });
    expect(backend.requests).toHaveLength(0);
    expect(hits.get("/hashed/level.1234.json")).toBeUndefined();
  });

  it("an unknown package fails with NOT_FOUND naming it; an unknown path with NOT_FOUND", async () => {
    const { source } = makeSource();
    const unknown = await failure(source.read("pkg://nosuch/a.png", readContext()));
    expect(unknown.code).toBe("NOT_FOUND");
    expect(unknown.uri).toBe("pkg://nosuch/a.png");
    expect(unknown.message).toContain('"nosuch"');
    const missing = await failure(source.read("pkg://game/textures/nope.png", readContext()));
    expect(missing.code).toBe("NOT_FOUND");
    expect(missing.uri).toBe("pkg://game/textures/nope.png");
  });

  it("a failed index fetch fails the read and is retried on the next call", async () => {
    const { source } = makeSource();
    indexStatus = 503;
    const error = await failure(source.read("pkg://game/level.json", readContext()));
    expect(error.code).toBe("HTTP");
    expect(error.status).toBe(503);
    expect(error.uri).toBe("pkg://game/level.json");
    indexStatus = 200;
    expect(text(await source.read("pkg://game/level.json", readContext()))).toBe('{"level":1}');
    expect(indexHits()).toBe(2);
  });

  it("a missing index says so: NOT_FOUND mentioning the plugin", async () => {
    const { source } = makeSource();
    indexStatus = 404;
    const error = await failure(source.list("pkg://game", { recursive: true }));
    expect(error.code).toBe("NOT_FOUND");
    expect(error.message).toContain("Vite plugin");
  });

  it("an index that is not JSON, or not a version 1 index, fails with PARSE", async () => {
    indexBody = "<html>";
    expect((await failure(makeSource().source.read("pkg://game/level.json", readContext()))).code).toBe("PARSE");
    indexBody = JSON.stringify({ version: 2, packages: {} });
    expect((await failure(makeSource().source.read("pkg://game/level.json", readContext()))).code).toBe("PARSE");
  });

  it("an unreachable index fails with NETWORK", async () => {
    const source = new PkgSource({ backend: new FetchBackend(), indexUrl: "http://127.0.0.1:1/pkg-index.json" });
    expect((await failure(source.read("pkg://game/level.json", readContext()))).code).toBe("NETWORK");
  });

  it("lists direct children, or everything below with recursive, sorted", async () => {
    const { source } = makeSource();
    expect(await source.list("pkg://game/textures", { recursive: false })).toEqual(["pkg://game/textures/hero.png"]);
    expect(await source.list("pkg://game/textures/", { recursive: true })).toEqual([
      "pkg://game/textures/hero.png",
      "pkg://game/textures/ui/button.png",
      "pkg://game/textures/ui/deep/icon.png",
    ]);
    expect(await source.list("pkg://game", { recursive: false })).toEqual(["pkg://game/level.json"]);
    expect(await source.list("pkg://other", { recursive: true })).toEqual([]);
  });

  it("listing a folder that is not in the index fails with NOT_FOUND; listing a file with INVALID_URI", async () => {
    const { source } = makeSource();
    expect((await failure(source.list("pkg://game/nope", { recursive: true }))).code).toBe("NOT_FOUND");
    expect((await failure(source.list("pkg://nosuch", { recursive: true }))).code).toBe("NOT_FOUND");
    expect((await failure(source.list("pkg://game/level.json", { recursive: true }))).code).toBe("INVALID_URI");
  });

  it("refuses traversal before looking anything up", async () => {
    const { source } = makeSource();
    expect((await failure(source.read("pkg://game/textures/../../x", readContext()))).code).toBe("INVALID_URI");
    expect((await failure(source.read("pkg://game/%2e%2e/x", readContext()))).code).toBe("INVALID_URI");
    expect(indexHits()).toBe(0);
  });

  it("after a dev-server edit the stale index hash is refreshed instead of failing INTEGRITY", async () => {
    const { source } = makeSource();
    expect(text(await source.read("pkg://game/textures/hero.png", readContext()))).toBe("PNG bytes");
    served["/assets/files/hero.png"] = "edited PNG";
    indexBody = JSON.stringify(indexFor(served));
    const result = await source.read("pkg://game/textures/hero.png", readContext());
    expect(text(result)).toBe("edited PNG");
    expect(result.version).toBe(sha256("edited PNG"));
    expect(indexHits()).toBe(2);
  });

  it("bytes that do not match an immutable entry fail with INTEGRITY, naming the pkg uri", async () => {
    const { source } = makeSource();
    served["/hashed/level.1234.json"] = '{"level":2}';
    const error = await failure(source.read("pkg://game/level.json", readContext()));
    expect(error.code).toBe("INTEGRITY");
    expect(error.uri).toBe("pkg://game/level.json");
  });

  it("cache: false refetches the index and asks the backend for a fresh read", async () => {
    const { source, backend } = makeSource();
    await source.read("pkg://game/level.json", readContext());
    await source.read("pkg://game/level.json", readContext({ cache: false }));
    expect(indexHits()).toBe(2);
    expect(backend.requests[1]?.cache).toBe(false);
  });

  it("invalidate drops the backend's copy and refetches the index on the next read", async () => {
    const { source, backend } = makeSource();
    await source.read("pkg://game/level.json", readContext());
    await source.invalidateCache("pkg://game/level.json");
    expect(backend.invalidated).toEqual([`${origin}/hashed/level.1234.json`]);
    await source.read("pkg://game/level.json", readContext());
    expect(indexHits()).toBe(2);
  });

  it("a file of a pack is asked for with its slice of the pack, resolved against the index", async () => {
    const index = indexFor(served);
    index.packs = { p1: { url: "../packs/p1.pack", size: 15 } };
    index.packages.game!.files["textures/ui/button.png"]!.pack = { id: "p1", offset: 0 };
    index.packages.game!.files["textures/ui/deep/icon.png"]!.pack = { id: "p1", offset: 6 };
    indexBody = JSON.stringify(index);
    const { backend, source } = makeSource();
    await source.read("pkg://game/textures/ui/deep/icon.png", readContext());
    expect(backend.requests[0]!.pack).toEqual({ url: `${origin}/assets/packs/p1.pack`, offset: 6, length: 4, packBytes: 15 });
  });

  it("an index that puts a file outside its pack, or names a pack it lacks, is refused with PARSE", async () => {
    for (const lie of [{ id: "p1", offset: 12 }, { id: "nope", offset: 0 }, { id: "p1", offset: -1 }]) {
      const index = indexFor(served);
      index.packs = { p1: { url: "../packs/p1.pack", size: 15 } };
      index.packages.game!.files["textures/ui/deep/icon.png"]!.pack = lie;
      indexBody = JSON.stringify(index);
      const { source } = makeSource();
      await expect(source.read("pkg://game/level.json", readContext())).rejects.toMatchObject({ code: "PARSE" });
    }
  });

  it("a cancelled read fails with CANCELLED", async () => {
    const { source } = makeSource();
    const controller = new AbortController();
    const reading = source.read("pkg://game/level.json", readContext({ signal: controller.signal }));
    controller.abort();
    expect((await failure(reading)).code).toBe("CANCELLED");
  });
});

describe("PkgSource.urlOf (a URL any page code can fetch)", () => {
  it("before the index has loaded: the stable URL under the app's base; the index starts loading, and then gives the file's own URL", async () => {
    const backend = new FetchBackend();
    const source = new PkgSource({ backend, indexUrl: indexUrl(), base: `${origin}/game/` });
    expect(source.urlOf("pkg://game/textures/ui/button.png")).toBe(`${origin}/game/@simvx-pkg/game/textures/ui/button.png`);
    expect(source.urlOf("pkg://game/level%20one.json")).toBe(`${origin}/game/@simvx-pkg/game/level%20one.json`);
    // The look-up started the index's fetch: once it is in, the same call names the index's URL.
    await expect.poll(() => source.urlOf("pkg://game/textures/ui/button.png")).toBe(`${origin}/assets/files/ui/button.png`);
  });

  it("once the index has loaded: the URL the index names (the hashed one in a build), with no request", async () => {
    const { source } = makeSource();
    await source.read("pkg://game/level.json", readContext());
    const before = indexHits();
    expect(source.urlOf("pkg://game/level.json")).toBe(`${origin}/hashed/level.1234.json`);
    expect(source.urlOf("pkg://game/textures/hero.png")).toBe(`${origin}/assets/files/hero.png`);
    expect(indexHits()).toBe(before);
  });

  it("a file the loaded index does not list is NOT_FOUND", async () => {
    const { source } = makeSource();
    await source.read("pkg://game/level.json", readContext());
    expect(() => source.urlOf("pkg://game/nope.png")).toThrow(expect.objectContaining({ code: "NOT_FOUND" }));
    expect(() => source.urlOf("pkg://nobody/level.json")).toThrow(expect.objectContaining({ code: "NOT_FOUND" }));
  });
});
