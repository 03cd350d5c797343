import { describe, expect, it } from "vitest";
import { AssetError } from "../kernel/AssetError.js";
import { MemSource } from "./MemSource.js";
import { isNotModified, type ReadResult } from "./Source.js";
import { readContext } from "../../test/support/sources/readContext.js";

const text = (result: ReadResult) => {
  if (isNotModified(result)) throw new Error("expected bytes");
  return new TextDecoder().decode(result.bytes);
};

async function readError(source: MemSource, uri: string): Promise<AssetError> {
  const error = await source.read(uri, readContext()).then(() => null, (thrown: unknown) => thrown);
  if (!AssetError.is(error)) throw new Error(`expected an AssetError, got ${String(error)}`);
  return error;
}

describe("MemSource", () => {
  it("stores bytes, strings as UTF-8 and other values as JSON", async () => {
    const mem = new MemSource();
    mem.set("raw.bin", new Uint8Array([1, 2, 3]));
    mem.set("buffer.bin", new Uint16Array([0x0201]).buffer);
    mem.set("hello.txt", "héllo");
    mem.set("level.json", { spawn: [1, 2] });
    mem.set("mem://prefixed.txt", "ok");
    expect([...mem.get("raw.bin")!]).toEqual([1, 2, 3]);
    expect([...mem.get("buffer.bin")!]).toEqual([1, 2]);
    expect(text(await mem.read("mem://hello.txt", readContext()))).toBe("héllo");
    expect(JSON.parse(text(await mem.read("mem://level.json", readContext())))).toEqual({ spawn: [1, 2] });
    expect(mem.has("prefixed.txt")).toBe(true);
    expect(mem.keys().sort()).toEqual(["buffer.bin", "hello.txt", "level.json", "prefixed.txt", "raw.bin"]);
  });

  it("copies bytes in and out, so editing them later does not change the store", async () => {
    const mem = new MemSource();
    const bytes = new Uint8Array([1, 2, 3]);
    mem.set("a", bytes);
    bytes[0] = 99;
    const read = await mem.read("mem://a", readContext());
    if (isNotModified(read)) throw new Error("expected bytes");
    read.bytes[1] = 99;
    expect([...mem.get("a")!]).toEqual([1, 2, 3]);
  });

  it("a value that is not bytes, text or JSON is refused", () => {
    expect(() => new MemSource().set("f", () => 1)).toThrow(TypeError);
    expect(() => new MemSource().set("u", undefined)).toThrow(TypeError);
  });

  it("a missing key fails with NOT_FOUND naming the uri", async () => {
    const error = await readError(new MemSource(), "mem://nope.json");
    expect(error.code).toBe("NOT_FOUND");
    expect(error.uri).toBe("mem://nope.json");
  });

  it("answers notModified when the known version is the current revision, without progress", async () => {
    const mem = new MemSource();
    mem.set("a.txt", "one");
    const first = await mem.read("mem://a.txt", readContext());
    const ctx = readContext({ knownVersion: first.version });
    expect(await mem.read("mem://a.txt", ctx)).toEqual({ notModified: true, version: first.version });
    expect(ctx.progress).toEqual([]);
  });

  it("a same-length update is seen: the version changes on every set", async () => {
    const mem = new MemSource();
    mem.set("a.txt", "one");
    const first = await mem.read("mem://a.txt", readContext());
    mem.set("a.txt", "two");
    const second = await mem.read("mem://a.txt", readContext({ knownVersion: first.version }));
    expect(second.version).not.toBe(first.version);
    expect(text(second)).toBe("two");
  });

  it("deleting a key and setting it again never reuses a version", async () => {
    const mem = new MemSource();
    mem.set("a.txt", "one");
    const first = await mem.read("mem://a.txt", readContext());
    expect(mem.delete("a.txt")).toBe(true);
    expect(mem.delete("a.txt")).toBe(false);
    expect((await readError(mem, "mem://a.txt")).code).toBe("NOT_FOUND");
    mem.set("a.txt", "uno");
    const again = await mem.read("mem://a.txt", readContext({ knownVersion: first.version }));
    expect(text(again)).toBe("uno");
  });

  it("reports progress from 0 to the full size", async () => {
    const mem = new MemSource();
    mem.set("a.bin", new Uint8Array(10));
    const ctx = readContext();
    await mem.read("mem://a.bin", ctx);
    expect(ctx.progress).toEqual([[0, 10], [10, 10]]);
  });

  it("a cancelled read fails with CANCELLED", async () => {
    const mem = new MemSource();
    mem.set("a", "x");
    const controller = new AbortController();
    controller.abort();
    const error = await mem.read("mem://a", readContext({ signal: controller.signal })).then(() => null, (thrown: unknown) => thrown);
    expect(AssetError.is(error) && error.code).toBe("CANCELLED");
  });

  it("finds keys from their percent-encoded uri form and ignores ?query and #hash", async () => {
    const mem = new MemSource();
    mem.set("levels/level one.json", "{}");
    expect(text(await mem.read(new URL("mem://levels/level one.json?v=2#x").href, readContext()))).toBe("{}");
  });

  it("lists direct children, or everything below with recursive, as sorted mem:// uris", async () => {
    const mem = new MemSource();
    for (const key of ["lvl/b.json", "lvl/a.json", "lvl/deep/c.json", "lvlx/no.json", "other.txt"]) mem.set(key, "x");
    expect(await mem.list("mem://lvl", { recursive: false })).toEqual(["mem://lvl/a.json", "mem://lvl/b.json"]);
    expect(await mem.list("mem://lvl/", { recursive: true })).toEqual(["mem://lvl/a.json", "mem://lvl/b.json", "mem://lvl/deep/c.json"]);
    expect(await mem.list("mem://empty/", { recursive: true })).toEqual([]);
  });

  it("listed uris read back, even for keys that need percent-encoding", async () => {
    const mem = new MemSource();
    mem.set("sprites/hero idle.png", new Uint8Array([7]));
    const [uri] = await mem.list(new URL("mem://sprites/").href, { recursive: false });
    expect(uri).toBe("mem://sprites/hero%20idle.png");
    const read = await mem.read(new URL(uri!).href, readContext());
    expect(isNotModified(read) ? null : [...read.bytes]).toEqual([7]);
  });

  it("clear empties the store", async () => {
    const mem = new MemSource();
    mem.set("a", "x");
    mem.clear();
    expect(mem.keys()).toEqual([]);
    expect((await readError(mem, "mem://a")).code).toBe("NOT_FOUND");
  });
});
