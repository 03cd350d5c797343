import { execFileSync } from "node:child_process";
import { readFile, stat, utimes, writeFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NodeFileSource } from "./NodeFileSource.js";
import { isNotModified } from "../Source.js";
import { failure, readContext, text } from "../../../test/support/sources/readContext.js";
import { makeTempTree } from "../../../test/support/sources/tempTree.js";

type Tree = Awaited<ReturnType<typeof makeTempTree>>;
let tree: Tree;
const source = new NodeFileSource();

beforeAll(async () => {
  tree = await makeTempTree(
    {
      "a.txt": "alpha",
      "sub/b.json": '{"b":1}',
      "sub/deep/c.bin": new Uint8Array([1, 2, 3]),
      "sub/deep/deeper/d.txt": "d",
      "names/hero idle é.txt": "spaced",
      "outside/secret.txt": "secret",
    },
    { "sub/link.txt": "a.txt", "sub/loop": "sub" },
  );
});
afterAll(() => tree.remove());


describe("NodeFileSource", () => {
  it("reads a file with an mtime-size version and progress from 0 to its size", async () => {
    const ctx = readContext();
    const result = await source.read(tree.uri("a.txt"), ctx);
    const stats = await stat(tree.path("a.txt"));
    expect(text(result)).toBe("alpha");
    expect(result.version).toBe(`${stats.mtimeMs}-${stats.size}`);
    expect(ctx.progress).toEqual([[0, 5], [5, 5]]);
    expect(isNotModified(result) ? null : result.bytes).toBeInstanceOf(Uint8Array);
  });

  it("answers notModified for the known version by stat alone, without reading the file", async () => {
    const path = tree.path("sub/b.json");
    const oldAccess = new Date(946_684_800_000);
    const modified = new Date(1_700_000_000_000);
    await utimes(path, oldAccess, modified);
    await readFile(path);
    // Access times are how this test sees a read; a file system mounted noatime hides them, and
    // there only the answer itself can be checked.
    const atimeShowsReads = (await stat(path)).atimeMs !== oldAccess.getTime();
    await utimes(path, oldAccess, modified);
    const { version } = await source.read(tree.uri("sub/b.json"), readContext({ knownVersion: "stale" }));
    await utimes(path, oldAccess, modified);
    const ctx = readContext({ knownVersion: version });
    expect(await source.read(tree.uri("sub/b.json"), ctx)).toEqual({ notModified: true, version });
    if (atimeShowsReads) expect((await stat(path)).atimeMs).toBe(oldAccess.getTime());
    expect(ctx.progress).toEqual([]);
  });

  it("sees an edit: a new version and the new bytes", async () => {
    const scratch = await makeTempTree({ "v.txt": "one" });
    try {
      const first = await source.read(scratch.uri("v.txt"), readContext());
      await writeFile(scratch.path("v.txt"), "two");
      await utimes(scratch.path("v.txt"), new Date(), new Date(Date.now() + 5_000));
      const second = await source.read(scratch.uri("v.txt"), readContext({ knownVersion: first.version }));
      expect(second.version).not.toBe(first.version);
      expect(text(second)).toBe("two");
    } finally {
      await scratch.remove();
    }
  });

  it("a missing file fails with NOT_FOUND", async () => {
    const error = await failure(source.read(tree.uri("nope.txt"), readContext()));
    expect(error.code).toBe("NOT_FOUND");
    expect(error.uri).toBe(tree.uri("nope.txt"));
    expect((await failure(source.read(tree.uri("a.txt/x"), readContext()))).code).toBe("NOT_FOUND");
  });

  it("reading a folder fails with INVALID_URI", async () => {
    expect((await failure(source.read(tree.uri("sub"), readContext()))).code).toBe("INVALID_URI");
    expect((await failure(source.read(tree.uri("sub/"), readContext()))).code).toBe("INVALID_URI");
  });

  it("reading a FIFO fails with INVALID_URI instead of hanging", async () => {
    execFileSync("mkfifo", [tree.path("pipe")]);
    expect((await failure(source.read(tree.uri("pipe"), readContext()))).code).toBe("INVALID_URI");
  });

  it.each(["file:///tmp/../../etc/passwd", "file:///tmp/%2e%2e/%2E%2E/etc/passwd", "file:///tmp/..%2F..%2Fetc%2Fpasswd", "file:///tmp/..\\..\\etc/passwd"])("refuses the traversal %s", async (uri) => {
    const error = await failure(source.read(uri, readContext()));
    expect(error.code).toBe("INVALID_URI");
    expect((await failure(source.list(uri, { recursive: true }))).code).toBe("INVALID_URI");
  });

  it("refuses file uris naming another host", async () => {
    expect((await failure(source.read("file://example.com/etc/passwd", readContext()))).code).toBe("INVALID_URI");
  });

  it("a file over maxBytes fails with TOO_LARGE before it is read", async () => {
    expect((await failure(source.read(tree.uri("a.txt"), readContext({ maxBytes: 4 })))).code).toBe("TOO_LARGE");
  });

  it("a cancelled read fails with CANCELLED", async () => {
    const controller = new AbortController();
    controller.abort();
    expect((await failure(source.read(tree.uri("a.txt"), readContext({ signal: controller.signal })))).code).toBe("CANCELLED");
  });

  it("lists the files of a folder as sorted absolute file uris", async () => {
    expect(await source.list(tree.uri("sub"), { recursive: false })).toEqual([tree.uri("sub/b.json"), tree.uri("sub/link.txt")]);
  });

  it("lists recursively on request, following links but not looping", async () => {
    const listed = await source.list(tree.uri("sub/"), { recursive: true });
    expect(listed).toEqual([tree.uri("sub/b.json"), tree.uri("sub/deep/c.bin"), tree.uri("sub/deep/deeper/d.txt"), tree.uri("sub/link.txt")]);
  });

  it("listed uris read back, spaces and non-ASCII names included", async () => {
    const [uri] = await source.list(tree.uri("names"), { recursive: false });
    expect(text(await source.read(new URL(uri!).href, readContext()))).toBe("spaced");
  });

  it("listing a missing folder fails with NOT_FOUND, listing a file with INVALID_URI", async () => {
    expect((await failure(source.list(tree.uri("missing"), { recursive: false }))).code).toBe("NOT_FOUND");
    expect((await failure(source.list(tree.uri("a.txt"), { recursive: false }))).code).toBe("INVALID_URI");
  });
});
