import { symlink } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NodePkgSource } from "./NodePkgSource.js";
import { isNotModified } from "../Source.js";
import { failure, readContext, text } from "../../../test/support/sources/readContext.js";
import { makeTempTree } from "../../../test/support/sources/tempTree.js";

type Tree = Awaited<ReturnType<typeof makeTempTree>>;
let tree: Tree;
let source: NodePkgSource;

beforeAll(async () => {
  tree = await makeTempTree(
    {
      "game/level.json": '{"level":1}',
      "game/textures/hero.png": new Uint8Array([137, 80, 78, 71]),
      "game/textures/ui/button.png": new Uint8Array([1]),
      "game/sounds/hit one.ogg": "ogg",
      "secret.txt": "outside the package",
      "node_modules/npm-assets/package.json": '{"name":"npm-assets"}',
      "node_modules/npm-assets/data/items.json": "[1,2]",
      "node_modules/hidden-assets/package.json": '{"name":"hidden-assets","exports":{".":"./index.js"}}',
      "node_modules/hidden-assets/index.js": "",
      "node_modules/hidden-assets/data/x.txt": "x",
    },
    { "game/escape.txt": "secret.txt", "game/escape-dir": "node_modules", "game/textures/alias.png": "game/textures/hero.png" },
  );
  await symlink(join(tree.root, "game"), join(tree.root, "game-link"));
  source = new NodePkgSource({ packages: { game: join(tree.root, "game"), linked: "game-link" }, cwd: tree.root });
});
afterAll(() => tree.remove());


describe("NodePkgSource", () => {
  it("reads a file of a package named in the packages option", async () => {
    const ctx = readContext();
    const result = await source.read("pkg://game/level.json", ctx);
    expect(text(result)).toBe('{"level":1}');
    expect(result.version).toMatch(/^[\d.]+-11$/);
    expect(ctx.progress).toEqual([[0, 11], [11, 11]]);
  });

  it("confirms a known version without sending bytes", async () => {
    const { version } = await source.read("pkg://game/level.json", readContext());
    expect(await source.read("pkg://game/level.json", readContext({ knownVersion: version }))).toEqual({ notModified: true, version });
  });

  it("resolves a relative packages folder against cwd, even through a symlink", async () => {
    expect(text(await source.read("pkg://linked/level.json", readContext()))).toBe('{"level":1}');
  });

  it("falls back to an installed npm package of that name", async () => {
    expect(text(await source.read("pkg://npm-assets/data/items.json", readContext()))).toBe("[1,2]");
    expect(await source.list("pkg://npm-assets/data", { recursive: false })).toEqual(["pkg://npm-assets/data/items.json"]);
  });

  it("finds an npm package whose exports hide package.json", async () => {
    expect(text(await source.read("pkg://hidden-assets/data/x.txt", readContext()))).toBe("x");
  });

  it("an unknown package fails with NOT_FOUND naming the package", async () => {
    const error = await failure(source.read("pkg://nosuchpkg/a.png", readContext()));
    expect(error.code).toBe("NOT_FOUND");
    expect(error.uri).toBe("pkg://nosuchpkg/a.png");
    expect(error.message).toContain('"nosuchpkg"');
  });

  it("a missing file fails with NOT_FOUND", async () => {
    expect((await failure(source.read("pkg://game/nope.json", readContext()))).code).toBe("NOT_FOUND");
  });

  it.each(["pkg://game/../secret.txt", "pkg://game/%2e%2e/secret.txt", "pkg://game/textures/%2E%2E/%2e%2e/secret.txt", "pkg://game/..%2Fsecret.txt", "pkg://game/..%5Csecret.txt"])(
    "refuses the traversal %s",
    async (uri) => {
      expect((await failure(source.read(uri, readContext()))).code).toBe("INVALID_URI");
      expect((await failure(source.list(uri, { recursive: false }))).code).toBe("INVALID_URI");
    },
  );

  it("refuses a symlink that points outside the package, for files and folders", async () => {
    const error = await failure(source.read("pkg://game/escape.txt", readContext()));
    expect(error.code).toBe("INVALID_URI");
    expect(error.message).toContain("outside");
    expect((await failure(source.read("pkg://game/escape-dir/npm-assets/package.json", readContext()))).code).toBe("INVALID_URI");
    expect((await failure(source.list("pkg://game/escape-dir", { recursive: true }))).code).toBe("INVALID_URI");
  });

  it("follows a symlink that stays inside the package", async () => {
    const result = await source.read("pkg://game/textures/alias.png", readContext());
    expect(isNotModified(result) ? null : [...result.bytes]).toEqual([137, 80, 78, 71]);
  });

  it("lists direct children as sorted pkg uris", async () => {
    expect(await source.list("pkg://game/textures/", { recursive: false })).toEqual(["pkg://game/textures/alias.png", "pkg://game/textures/hero.png"]);
  });

  it("lists recursively, leaving out links that leave the package", async () => {
    expect(await source.list("pkg://game", { recursive: true })).toEqual([
      "pkg://game/level.json",
      "pkg://game/sounds/hit%20one.ogg",
      "pkg://game/textures/alias.png",
      "pkg://game/textures/hero.png",
      "pkg://game/textures/ui/button.png",
    ]);
  });

  it("listed uris read back", async () => {
    const [uri] = await source.list("pkg://game/sounds", { recursive: false });
    expect(text(await source.read(uri!, readContext()))).toBe("ogg");
  });

  it("a package named like a path (pkg://./x, pkg://../x) is an unknown package, never a folder", async () => {
    for (const uri of ["pkg://./secret.txt", "pkg://../secret.txt", "pkg://./game/level.json"]) {
      const error = await failure(source.read(uri, readContext()));
      expect(error.code).toBe("NOT_FOUND");
      expect(error.message).toContain("unknown package");
    }
  });
});
