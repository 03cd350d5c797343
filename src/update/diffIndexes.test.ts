import { describe, expect, it } from "vitest";
import type { PkgIndex } from "../kernel/PkgIndex.js";
import { parseBuildIndex } from "./BuildIndex.js";
import { diffIndexes } from "./diffIndexes.js";

const INDEX_URL = "https://game.example/simvx-assets/pkg-index.json";
const hash = (char: string): string => char.repeat(64);

function index(build: string | undefined, files: Record<string, [string, number]>, shell: Array<[string, string, number]> = []): PkgIndex {
  const entries = Object.fromEntries(Object.entries(files).map(([path, [sha, size]]) => [path, { url: `../assets/pkg/game/${path}`, size, sha256: hash(sha), immutable: true }]));
  return { version: 1, packages: { game: { files: entries } }, ...(build === undefined ? {} : { build, shell: shell.map(([url, revision, size]) => ({ url, revision, size })) }) };
}

const read = (json: PkgIndex, bytes = 500) => parseBuildIndex(json, INDEX_URL, bytes);

describe("diffIndexes", () => {
  it("lists changed, added and removed pkg uris by content hash, sorted", () => {
    const running = read(index("one", { "a.png": ["a", 10], "b.json": ["b", 20], "gone.txt": ["c", 30], "same.txt": ["d", 40] }));
    const latest = read(index("two", { "b.json": ["e", 21], "a.png": ["f", 11], "new/x.txt": ["9", 50], "same.txt": ["d", 40] }), 600);
    const info = diffIndexes(running, { ...latest, build: "two" });
    expect(info).toEqual({ build: "two", changed: ["pkg://game/a.png", "pkg://game/b.json"], added: ["pkg://game/new/x.txt"], removed: ["pkg://game/gone.txt"], bytes: 11 + 21 + 50 + 600 });
  });

  it("counts the shell files whose revision changed, and the index itself, in bytes", () => {
    const running = read(index("one", { "a.png": ["a", 10] }, [["../index.html", "r1", 700], ["../assets/main.js", "j1", 9000]]));
    const latest = read(index("two", { "a.png": ["a", 10] }, [["../index.html", "r1", 700], ["../assets/main-2.js", "j2", 9100]]), 450);
    expect(diffIndexes(running, { ...latest, build: "two" })).toEqual({ build: "two", changed: [], added: [], removed: [], bytes: 9100 + 450 });
  });

  it("names files with spaces as a URL would", () => {
    const running = read(index("one", { "level 1.json": ["a", 1] }));
    const latest = read(index("two", { "level 1.json": ["b", 2] }));
    expect(diffIndexes(running, { ...latest, build: "two" }).changed).toEqual(["pkg://game/level%201.json"]);
  });
});

describe("parseBuildIndex", () => {
  it("resolves file and shell URLs against the index and keeps the build", () => {
    const parsed = read(index("abc", { "sprites/hero.png": ["a", 5] }, [["../index.html", "r", 3]]));
    expect(parsed.build).toBe("abc");
    expect(parsed.files.get("pkg://game/sprites/hero.png")).toEqual({ uri: "pkg://game/sprites/hero.png", href: "https://game.example/assets/pkg/game/sprites/hero.png", sha256: hash("a"), size: 5 });
    expect([...parsed.shell]).toEqual([["https://game.example/index.html", { revision: "r", size: 3 }]]);
  });

  it("reads a dev index (no build) as build null", () => {
    expect(read(index(undefined, { "a.txt": ["a", 1] })).build).toBeNull();
  });

  it.each([
    ["not an object", 42],
    ["the wrong version", { version: 2, packages: {} }],
    ["a file without a hash", { version: 1, packages: { game: { files: { "a.txt": { url: "a", size: 1, immutable: true } } } } }],
    ["a build that is not a string", { ...index("x", {}), build: 7 }],
    ["a build with odd characters", { ...index("x", {}), build: "a b/c" }],
    ["a shell that is not a list", { ...index("x", {}), shell: {} }],
    ["a shell file without a size", { ...index("x", {}), shell: [{ url: "../index.html", revision: "r" }] }],
  ])("refuses an index with %s (PARSE, naming the index)", (_case, json) => {
    expect(() => parseBuildIndex(json, INDEX_URL, 10)).toThrow(expect.objectContaining({ code: "PARSE", uri: INDEX_URL }));
  });
});
