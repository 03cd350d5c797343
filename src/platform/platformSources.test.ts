import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HttpOutcome, HttpRequest } from "../kernel/protocol.js";
import type { HttpBackend } from "../kernel/HttpBackend.js";
import { FileSource } from "../sources/FileSource.js";
import { HttpSource } from "../sources/HttpSource.js";
import { MemSource } from "../sources/MemSource.js";
import { NodeFileSource } from "../sources/node/NodeFileSource.js";
import { NodePkgSource } from "../sources/node/NodePkgSource.js";
import { PkgSource } from "../sources/PkgSource.js";
import { isNotModified, type ReadResult } from "../sources/Source.js";
import { readContext } from "../../test/support/sources/readContext.js";
import { makeTempTree } from "../../test/support/sources/tempTree.js";
import { browserSources } from "./browserPlatform.js";
import { nodeSources } from "./nodePlatform.js";

class RecordingBackend implements HttpBackend {
  readonly kind = "in-page";
  readonly urls: string[] = [];
  async fetch(request: HttpRequest): Promise<HttpOutcome> {
    this.urls.push(request.url);
    return { bytes: new TextEncoder().encode(`from ${request.url}`), version: '"v1"', servedFrom: "network" };
  }
  async invalidate() {}
  async clear() {}
  async stats() {
    return { entries: 0, bytes: 0, budgetBytes: 0 };
  }
  dispose() {}
}

const text = (result: ReadResult) => (isNotModified(result) ? null : new TextDecoder().decode(result.bytes));

let tree: Awaited<ReturnType<typeof makeTempTree>>;
beforeAll(async () => {
  tree = await makeTempTree({ "assets/hello.txt": "hello" });
});
afterAll(() => tree.remove());

describe("the built-in sources of each platform", () => {
  it("give one source per built-in scheme, http and https sharing one", () => {
    const mem = new MemSource();
    const node = nodeSources(new RecordingBackend(), mem);
    const browser = browserSources(new RecordingBackend(), mem, {});
    for (const sources of [node, browser]) {
      expect(Object.keys(sources).sort()).toEqual(["file", "http", "https", "mem", "pkg"]);
      expect(sources.mem).toBe(mem);
      expect(sources.http).toBeInstanceOf(HttpSource);
      expect(sources.https).toBe(sources.http);
    }
    expect(node.file).toBeInstanceOf(NodeFileSource);
    expect(node.pkg).toBeInstanceOf(NodePkgSource);
    expect(browser.file).toBeInstanceOf(FileSource);
    expect(browser.pkg).toBeInstanceOf(PkgSource);
  });

  it("in Node, pkg:// reads the folders of the packages option and file:// the disk", async () => {
    const sources = nodeSources(new RecordingBackend(), new MemSource(), { packages: { game: tree.path("assets") } });
    expect(text(await sources.pkg!.read("pkg://game/hello.txt", readContext()))).toBe("hello");
    expect(text(await sources.file!.read(tree.uri("assets/hello.txt"), readContext()))).toBe("hello");
  });

  it("http(s) reads go to the given backend", async () => {
    const backend = new RecordingBackend();
    const sources = nodeSources(backend, new MemSource());
    expect(text(await sources.https!.read("https://cdn.test/a.json", readContext()))).toBe("from https://cdn.test/a.json");
    expect(backend.urls).toEqual(["https://cdn.test/a.json"]);
  });

  it("in a browser, pkg:// looks for its index at pkgIndexUrl", async () => {
    const sources = browserSources(new RecordingBackend(), new MemSource(), { indexUrl: "http://127.0.0.1:1/no-index.json" });
    const error = await sources.pkg!.read("pkg://game/a.png", readContext()).then(() => null, (thrown: unknown) => thrown);
    expect(error).toMatchObject({ code: "NETWORK", uri: "pkg://game/a.png" });
    expect((error as Error).message).toContain("http://127.0.0.1:1/no-index.json");
  });
});
