import { fileURLToPath } from "node:url";
import { expect, lacks, needs, test } from "./support/engineTest.js";
import { within } from "./support/within.js";
import { createServer, type ViteDevServer } from "vite";
import type { AssetError } from "../src/kernel/AssetError.js";
import type { FileSource } from "../src/sources/FileSource.js";

// FileSource's browser side against each engine's real Origin Private File System. Vite serves the
// source modules; the page imports FileSource and reads files the test wrote into OPFS.

const REPO_ROOT = fileURLToPath(new URL("../", import.meta.url));
let vite: ViteDevServer;
let pageOrigin: string;

test.beforeAll(async () => {
  vite = await createServer({
    root: REPO_ROOT,
    configFile: false,
    logLevel: "warn",
    clearScreen: false,
    optimizeDeps: { noDiscovery: true, include: [] },
    server: { host: "127.0.0.1", port: 0, hmr: false },
  });
  await vite.listen();
  const url = vite.resolvedUrls?.local[0];
  if (!url) throw new Error("vite did not report its URL");
  pageOrigin = url.replace(/\/$/, "");
});
test.afterAll(async () => {
  await vite?.close();
});

interface Outcome {
  text?: string;
  version?: string | null;
  notModified?: boolean;
  code?: string;
  listed?: string[];
}

needs(["opfs"], () => {
  test("FileSource reads, confirms, lists and refuses files in the Origin Private File System", async ({ tab: page }) => {
    await page.goto(`${pageOrigin}/package.json`);
    const results = await page.evaluate(async (moduleUrl: string) => {
      const { FileSource: Source } = (await import(moduleUrl)) as { FileSource: typeof FileSource };
      const root = await navigator.storage.getDirectory();
      const write = async (folders: string[], name: string, content: string) => {
        let dir = root;
        for (const folder of folders) dir = await dir.getDirectoryHandle(folder, { create: true });
        const writable = await (await dir.getFileHandle(name, { create: true })).createWritable();
        await writable.write(content);
        await writable.close();
      };
      await write(["levels"], "one.json", '{"level":1}');
      await write(["levels"], "two words.txt", "two");
      await write(["levels", "deep"], "three.txt", "three");

      const source = new Source();
      const signal = new AbortController().signal;
      const ctx = (knownVersion: string | null) => ({ signal, knownVersion, onProgress: () => {} });
      const attempt = async (work: () => Promise<Outcome>): Promise<Outcome> => {
        try {
          return await work();
        } catch (error) {
          return { code: (error as AssetError).code };
        }
      };
      const read = (uri: string, knownVersion: string | null = null) =>
        attempt(async () => {
          const result = await source.read(uri, ctx(knownVersion));
          return "notModified" in result ? { notModified: true, version: result.version } : { text: new TextDecoder().decode(result.bytes), version: result.version };
        });
      const list = (uri: string, recursive: boolean) => attempt(async () => ({ listed: await source.list(uri, { recursive }) }));

      const file = await (await (await root.getDirectoryHandle("levels")).getFileHandle("one.json")).getFile();
      const first = await read("file:///levels/one.json");
      return {
        expectedVersion: `${file.lastModified}-${file.size}`,
        first,
        confirmed: await read("file:///levels/one.json", first.version ?? null),
        spaced: await read(new URL("file:///levels/two words.txt").href),
        missing: await read("file:///levels/nope.json"),
        folder: await read("file:///levels"),
        underAFile: await read("file:///levels/one.json/x"),
        direct: await list("file:///levels/", false),
        recursive: await list("file:///levels", true),
        listAFile: await list("file:///levels/one.json", false),
        listMissing: await list("file:///nowhere", true),
      };
    }, "/src/sources/FileSource.ts");

    expect(results.first).toEqual({ text: '{"level":1}', version: results.expectedVersion });
    expect(results.confirmed).toEqual({ notModified: true, version: results.expectedVersion });
    expect(results.spaced.text).toBe("two");
    expect(results.missing.code).toBe("NOT_FOUND");
    expect(results.folder.code).toBe("INVALID_URI");
    expect(results.underAFile.code).toBe("NOT_FOUND");
    expect(results.direct.listed).toEqual(["file:///levels/one.json", "file:///levels/two%20words.txt"]);
    expect(results.recursive.listed).toEqual(["file:///levels/deep/three.txt", "file:///levels/one.json", "file:///levels/two%20words.txt"]);
    expect(results.listAFile.code).toBe("INVALID_URI");
    expect(results.listMissing.code).toBe("NOT_FOUND");
  });
});

lacks("opfs", () => {
  test("without an Origin Private File System, FileSource refuses file:// at once, naming what is missing", async ({ tab: page }) => {
    await page.goto(`${pageOrigin}/package.json`);
    const results = await within(
      10_000,
      "FileSource without OPFS",
      page.evaluate(async (moduleUrl: string) => {
        const { FileSource: Source } = (await import(moduleUrl)) as { FileSource: typeof FileSource };
        const source = new Source();
        const outcome = async (work: () => Promise<unknown>) => {
          try {
            await work();
            return { code: "none", message: "" };
          } catch (error) {
            return { code: (error as AssetError).code, message: (error as AssetError).message };
          }
        };
        return {
          hasStorageDirectory: typeof navigator.storage?.getDirectory === "function",
          read: await outcome(() => source.read("file:///levels/one.json", { signal: new AbortController().signal, knownVersion: null, onProgress: () => {} })),
          list: await outcome(() => source.list("file:///levels/", { recursive: true })),
        };
      }, "/src/sources/FileSource.ts"),
    );
    expect(results.hasStorageDirectory).toBe(false);
    for (const outcome of [results.read, results.list]) {
      expect(outcome.code).toBe("UNSUPPORTED_SCHEME");
      expect(outcome.message).toContain("Origin Private File System");
    }
  });
});
