import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { build, createServer } from "vite";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { PkgIndex } from "../src/kernel/PkgIndex.js";
import { sha256Hex } from "./buildPkgIndex.js";
import { simvxAssets } from "./simvxAssets.js";

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "simvx-plugin-"));
  await mkdir(join(root, "assets/sprites"), { recursive: true });
  await writeFile(join(root, "index.html"), '<!doctype html><script type="module" src="./main.js"></script>');
  await writeFile(join(root, "main.js"), "console.log('app');");
  await writeFile(join(root, "assets/sprites/hero.png"), "hero bytes");
  await writeFile(join(root, "assets/level.json"), '{"level":1}');
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("simvxAssets in a build", () => {
  it("emits every package file content-hashed, and an immutable index whose URLs lead to those bytes", async () => {
    const outDir = join(root, "dist");
    await build({ root, configFile: false, logLevel: "silent", build: { outDir }, plugins: [simvxAssets({ packages: { game: "assets" }, worker: false })] });
    const indexFile = join(outDir, "simvx-assets/pkg-index.json");
    const index = JSON.parse(await readFile(indexFile, "utf8")) as PkgIndex;
    const files = index.packages.game!.files;
    expect(Object.keys(files).sort()).toEqual(["level.json", "sprites/hero.png"]);
    for (const [path, entry] of Object.entries(files)) {
      const source = await readFile(join(root, "assets", path));
      expect(entry.immutable).toBe(true);
      expect(entry.sha256).toBe(sha256Hex(source));
      expect(entry.size).toBe(source.byteLength);
      expect(entry.url).toMatch(new RegExp(`^\\.\\./assets/pkg/game/.*-${entry.sha256.slice(0, 10)}\\.(png|json)$`));
      const emitted = await readFile(join(dirname(indexFile), decodeURIComponent(entry.url)));
      expect(emitted.equals(source)).toBe(true);
    }
  });

  it("includes the asset worker, whose precache lists the pkg:// index with the app shell", async () => {
    const outDir = join(root, "dist");
    await build({ root, configFile: false, logLevel: "silent", build: { outDir }, plugins: [simvxAssets({ packages: { game: "assets" } })] });
    const worker = await readFile(join(outDir, "asset-sw.js"), "utf8");
    // The minifier may quote with backticks: match the precache entries, not the quotes.
    expect(worker).toMatch(/url:.simvx-assets\/pkg-index\.json./);
    expect(worker).toMatch(/url:.index\.html./);
  });

  it("stamps the index with its build and app shell, and builds the worker knowing that build", async () => {
    const outDir = join(root, "dist");
    const config = { root, configFile: false as const, logLevel: "silent" as const, build: { outDir } };
    await build({ ...config, plugins: [simvxAssets({ packages: { game: "assets" } })] });
    const index = JSON.parse(await readFile(join(outDir, "simvx-assets/pkg-index.json"), "utf8")) as PkgIndex;
    expect(index.build).toMatch(/^[0-9a-f]{20}$/);
    // The shell lists the page and its script, relative to the index; not the index or the worker.
    expect(index.shell!.map((file) => file.url)).toEqual([expect.stringMatching(/^\.\.\/assets\/index-.*\.js$/), "../index.html"]);
    for (const file of index.shell!) expect(file.size).toBe((await readFile(join(outDir, "simvx-assets", file.url))).byteLength);
    const worker = await readFile(join(outDir, "asset-sw.js"), "utf8");
    expect(worker).toContain(index.build);

    // One changed pkg file: another build; the same sources again: the same build.
    await writeFile(join(root, "assets/level.json"), '{"level":2}');
    await build({ ...config, plugins: [simvxAssets({ packages: { game: "assets" } })] });
    const changed = JSON.parse(await readFile(join(outDir, "simvx-assets/pkg-index.json"), "utf8")) as PkgIndex;
    expect(changed.build).not.toBe(index.build);
    expect(changed.shell).toEqual(index.shell);
    await build({ ...config, plugins: [simvxAssets({ packages: { game: "assets" } })] });
    expect((JSON.parse(await readFile(join(outDir, "simvx-assets/pkg-index.json"), "utf8")) as PkgIndex).build).toBe(changed.build);
  });

  it("fails the build with the folder's name when a package folder is missing", async () => {
    await expect(
      build({ root, configFile: false, logLevel: "silent", build: { outDir: join(root, "dist") }, plugins: [simvxAssets({ packages: { game: "nope" }, worker: false })] }),
    ).rejects.toThrow(/nope/);
  });

  it("refuses a package name that cannot be a pkg:// host", () => {
    expect(() => simvxAssets({ packages: { "My Game": "assets" } })).toThrow(/package name/);
  });
});

describe("simvxAssets packs in a build", () => {
  async function buildWith(packs?: false | { fileBytes?: number; packBytes?: number }) {
    await writeFile(join(root, "assets/sprites/boss.png"), "boss bytes, a little longer");
    await writeFile(join(root, "assets/big.bin"), "x".repeat(5_000));
    await writeFile(join(root, "assets/manifest.json"), JSON.stringify({ assets: ["sprites/hero.png", { uri: "level.json", integrity: "sha256-stale" }, "https://cdn.test/other.png"] }));
    const outDir = join(root, "dist");
    await build({ root, configFile: false, logLevel: "silent", build: { outDir }, plugins: [simvxAssets({ packages: { game: "assets" }, worker: false, ...(packs === undefined ? {} : { packs }) })] });
    const indexFile = join(outDir, "simvx-assets/pkg-index.json");
    return { indexFile, index: JSON.parse(await readFile(indexFile, "utf8")) as PkgIndex };
  }

  it("packs the small files, what the manifest lists first, so that each file is its own bytes at its offset of a pack", async () => {
    const { indexFile, index } = await buildWith({ fileBytes: 1_000 });
    const files = index.packages.game!.files;
    expect(files["big.bin"]!.pack).toBeUndefined();
    const packed = Object.entries(files).filter(([, entry]) => entry.pack !== undefined);
    expect(packed.map(([path]) => path).sort()).toEqual(["level.json", "manifest.json", "sprites/boss.png", "sprites/hero.png"]);
    for (const [path, entry] of packed) {
      const pack = index.packs![entry.pack!.id]!;
      const bytes = await readFile(join(dirname(indexFile), decodeURIComponent(pack.url)));
      expect(bytes.length).toBe(pack.size);
      const slice = bytes.subarray(entry.pack!.offset, entry.pack!.offset + entry.size);
      expect(sha256Hex(slice)).toBe(entry.sha256);
      // Each file is still emitted alone too, under its own hashed URL.
      expect((await readFile(join(dirname(indexFile), decodeURIComponent(entry.url)))).equals(slice)).toBe(true);
      expect(pack.url).toMatch(/^\.\.\/assets\/pkg\/packs\/[0-9a-f]{16}\.pack$/);
      expect(path).not.toBe("big.bin");
    }
    // What manifest.json lists lies side by side at the start (in folder order), then the other files in folder order.
    const order = packed.sort(([, a], [, b]) => a.pack!.offset - b.pack!.offset).map(([path]) => path);
    expect(new Set(packed.map(([, entry]) => entry.pack!.id)).size).toBe(1);
    expect(order).toEqual(["level.json", "sprites/hero.png", "manifest.json", "sprites/boss.png"]);
  });

  it("keeps packs within packBytes, and packs: false makes none", async () => {
    const small = await buildWith({ fileBytes: 1_000, packBytes: 60 });
    expect(Object.values(small.index.packs ?? {}).every((pack) => pack.size <= 60)).toBe(true);
    const none = await buildWith(false);
    expect(none.index.packs).toBeUndefined();
    expect(Object.values(none.index.packages.game!.files).every((entry) => entry.pack === undefined)).toBe(true);
  });

  it("writes integrity and size into the manifests it builds, for the entries the build holds", async () => {
    const { indexFile, index } = await buildWith();
    const entry = index.packages.game!.files["manifest.json"]!;
    const manifest = JSON.parse(await readFile(join(dirname(indexFile), decodeURIComponent(entry.url)), "utf8")) as { assets: Array<{ uri: string; size?: number; integrity?: string } | string> };
    const hero = await readFile(join(root, "assets/sprites/hero.png"));
    const level = await readFile(join(root, "assets/level.json"));
    const b64 = (bytes: Buffer) => `sha256-${Buffer.from(sha256Hex(bytes), "hex").toString("base64")}`;
    expect(manifest.assets).toEqual([
      { uri: "sprites/hero.png", size: hero.length, integrity: b64(hero) },
      { uri: "level.json", size: level.length, integrity: b64(level) },
      "https://cdn.test/other.png",
    ]);
    // The index describes the manifest as emitted.
    const emitted = await readFile(join(dirname(indexFile), decodeURIComponent(entry.url)));
    expect(entry.sha256).toBe(sha256Hex(emitted));
  });

  it("refuses packs options that are not positive byte counts", () => {
    expect(() => simvxAssets({ packages: { game: "assets" }, packs: { fileBytes: -1 } })).toThrow(/fileBytes/);
  });
});

describe("simvxAssets in dev", () => {
  it("serves the index computed from disk, refreshed after a file is added", async () => {
    const server = await createServer({
      root,
      configFile: false,
      logLevel: "silent",
      server: { port: 0, host: "127.0.0.1", strictPort: false },
      plugins: [simvxAssets({ packages: { game: "assets" }, worker: false })],
    });
    try {
      await server.listen();
      const origin = server.resolvedUrls!.local[0]!.replace(/\/$/, "");
      const index = (await (await fetch(`${origin}/simvx-assets/pkg-index.json`)).json()) as PkgIndex;
      const hero = index.packages.game!.files["sprites/hero.png"]!;
      expect(hero).toMatchObject({ url: "/@simvx-pkg/game/sprites/hero.png", size: 10, immutable: false });
      expect(await (await fetch(`${origin}${hero.url}`)).text()).toBe("hero bytes");

      const changed = new Promise<unknown>((resolve) => server.watcher.on("add", resolve));
      await writeFile(join(root, "assets/sprites/enemy.png"), "enemy");
      await changed;
      const refreshed = (await (await fetch(`${origin}/simvx-assets/pkg-index.json`)).json()) as PkgIndex;
      expect(refreshed.packages.game!.files["sprites/enemy.png"]).toMatchObject({ size: 5 });
    } finally {
      await server.close();
    }
  });
});
