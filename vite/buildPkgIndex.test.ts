import { mkdir, mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildPkgIndex, contentHashedPath, HashCache, readPackages, relativeUrl } from "./buildPkgIndex.js";

// sha256("hello") and sha256("world"), as any sha256sum prints them.
const HELLO = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";
const WORLD = "486ea46224d1bb4fb680f34f7c9ad96a8f24ec88be73ea8e5a6c65260e9cb8a7";

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "simvx-pkg-index-"));
  await mkdir(join(root, "game/sprites"), { recursive: true });
  await mkdir(join(root, "empty"), { recursive: true });
  await writeFile(join(root, "game/sprites/hero.png"), "hello");
  await writeFile(join(root, "game/level.json"), "world");
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("readPackages and buildPkgIndex", () => {
  it("the index lists every file of every package with its size and SHA-256", async () => {
    const packages = { game: join(root, "game"), empty: join(root, "empty") };
    const files = await readPackages(packages);
    const index = buildPkgIndex(Object.keys(packages), files, (file) => ({ url: `/files/${file.path}`, immutable: false }));
    expect(index).toEqual({
      version: 1,
      packages: {
        game: {
          files: {
            "level.json": { url: "/files/level.json", size: 5, sha256: WORLD, immutable: false },
            "sprites/hero.png": { url: "/files/sprites/hero.png", size: 5, sha256: HELLO, immutable: false },
          },
        },
        empty: { files: {} },
      },
    });
  });

  it("refuses a package name that cannot be a pkg:// host", async () => {
    await expect(readPackages({ "My Game": join(root, "game") })).rejects.toThrow(/package name/);
  });

  it("sees a file's new content after it changed, even with the same size", async () => {
    const hashes = new HashCache();
    const file = join(root, "game/level.json");
    expect((await hashes.hashOf(file)).sha256).toBe(WORLD);
    await writeFile(file, "hello");
    const later = new Date(Date.now() + 5_000);
    await utimes(file, later, later);
    expect((await hashes.hashOf(file)).sha256).toBe(HELLO);
  });
});

describe("contentHashedPath", () => {
  it("puts the first ten hex digits of the hash before the extension", () => {
    expect(contentHashedPath("sprites/hero.png", HELLO)).toBe("sprites/hero-2cf24dba5f.png");
    expect(contentHashedPath("shaders/crt.frag", WORLD)).toBe("shaders/crt-486ea46224.frag");
  });

  it("appends the hash to a name without an extension, or a dot file", () => {
    expect(contentHashedPath("LICENSE", HELLO)).toBe("LICENSE-2cf24dba5f");
    expect(contentHashedPath("dir.v2/README", HELLO)).toBe("dir.v2/README-2cf24dba5f");
  });

  it("gives different names to different bytes", () => {
    expect(contentHashedPath("a.png", HELLO)).not.toBe(contentHashedPath("a.png", WORLD));
  });
});

describe("relativeUrl", () => {
  it("leads from the index to an emitted asset, encoded", () => {
    expect(relativeUrl("simvx-assets/pkg-index.json", "assets/pkg/game/level one-2cf24dba5f.json")).toBe("../assets/pkg/game/level%20one-2cf24dba5f.json");
    expect(relativeUrl("pkg-index.json", "assets/pkg/game/a.png")).toBe("./assets/pkg/game/a.png");
  });
});
