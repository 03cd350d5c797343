import { createHash } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildDownloadLock } from "../src/engine/buildLocks.js";
import { FetchEngine } from "../src/engine/FetchEngine.js";
import { MemoryStore } from "../src/engine/MemoryStore.js";
import { startTestOrigin, type TestOrigin } from "../test/support/engine/testOrigin.js";
import { MemoryLockManager } from "../test/support/transport/MemoryLockManager.js";
import type { BuildRecord } from "./BuildRecords.js";
import { completeBuild, pkgFilesOf } from "./completeBuild.js";

let origin: TestOrigin;
let indexUrl: string;
const sha = (text: string): string => createHash("sha256").update(text).digest("hex");
const FILES = { "old.txt": "kept from the running build", "new.txt": "only the new build has this" };

function indexOf(files: Record<string, string>): unknown {
  return { version: 1, build: "two", packages: { game: { files: Object.fromEntries(Object.entries(files).map(([path, text]) => [path, { url: `../pkg/${path}`, size: text.length, sha256: sha(text), immutable: true }])) } } };
}

beforeEach(async () => {
  origin = await startTestOrigin();
  indexUrl = `${origin.url}/simvx-assets/pkg-index.json`;
  for (const [path, text] of Object.entries(FILES)) origin.setAsset(`/pkg/${path}`, text);
});

afterEach(async () => {
  await origin.close();
});

function setUp(options: { updating: boolean; index?: unknown; locks?: LockManager | null }) {
  const store = new MemoryStore();
  const engine = new FetchEngine({ store, ownOrigin: null });
  const records: BuildRecord[] = [];
  const run = () =>
    completeBuild({
      build: "two",
      indexUrl,
      index: options.index ?? indexOf(FILES),
      shell: [[`${origin.url}/index.html`, `${origin.url}/index.html?__WB_REVISION__=1`]],
      records: { put: async (record) => void records.push(record) },
      store,
      engine: () => engine,
      locks: options.locks ?? null,
      updating: options.updating,
      now: () => 42,
    });
  return { store, engine, records, run };
}

describe("completeBuild (a new worker's install)", () => {
  it("on an update, stores only the pkg files the store lacks, and records the build", async () => {
    const t = setUp({ updating: true });
    await t.engine.request({ url: `${origin.url}/pkg/old.txt`, knownVersion: null, cache: true, revalidate: "conditional-get", immutable: true }, { signal: new AbortController().signal, onProgress: () => undefined });
    origin.reset();
    expect(await t.run()).toEqual({ downloaded: 1 });
    expect(origin.counts.byPath).toEqual({ "/pkg/new.txt": 1 });
    expect(t.records).toEqual([{ key: `${indexUrl}#two`, indexUrl, build: "two", files: [`${origin.url}/pkg/old.txt`, `${origin.url}/pkg/new.txt`], shell: [[`${origin.url}/index.html`, `${origin.url}/index.html?__WB_REVISION__=1`]], storedAt: 42 }]);
    const metas = await t.store.getMetas([`${origin.url}/pkg/new.txt`]);
    expect(metas[0]?.immutable).toBe(true);
    // Run again (another install of the same build): nothing left to fetch.
    expect(await t.run()).toEqual({ downloaded: 0 });
    expect(origin.counts.requests).toBe(1);
  });

  it("on a first install, records the build and downloads nothing: the page loads what it uses", async () => {
    const t = setUp({ updating: false });
    expect(await t.run()).toEqual({ downloaded: 0 });
    expect(origin.counts.requests).toBe(0);
    expect(t.records).toHaveLength(1);
  });

  it("fails (so the install fails and the old worker stays) when a file cannot be stored", async () => {
    origin.deleteAsset("/pkg/new.txt");
    const t = setUp({ updating: true });
    await expect(t.run()).rejects.toThrow(/new\.txt/);
  });

  it("a file whose bytes do not match the index fails too: nothing wrong is stored", async () => {
    origin.setAsset("/pkg/new.txt", "not what the index says");
    const t = setUp({ updating: true });
    await expect(t.run()).rejects.toThrow(/integrity/);
    expect((await t.store.getMetas([`${origin.url}/pkg/new.txt`]))[0]).toBeUndefined();
  });

  it("waits while a page downloads the build (the download lock), then finds its files stored", async () => {
    const manager = new MemoryLockManager();
    const page = manager.forOwner("page");
    let release!: () => void;
    const held = new Promise<void>((resolve) => void page.request(buildDownloadLock(indexUrl), () => new Promise<void>((done) => (release = () => (done(), resolve())))));
    await new Promise((resolve) => setTimeout(resolve, 0));
    const t = setUp({ updating: true, locks: manager.forOwner("worker") });
    const completing = t.run();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(origin.counts.requests).toBe(0);
    // The page stores both files meanwhile (through the same store), then lets go.
    for (const path of Object.keys(FILES)) {
      await t.engine.request({ url: `${origin.url}/pkg/${path}`, knownVersion: null, cache: true, revalidate: "conditional-get", immutable: true }, { signal: new AbortController().signal, onProgress: () => undefined });
    }
    release();
    await held;
    expect(await completing).toEqual({ downloaded: 0 });
    expect(origin.counts.requests).toBe(2);
  });
});

describe("pkgFilesOf", () => {
  it("lists the index's files with absolute URLs and skips malformed entries", () => {
    const index = { version: 1, packages: { game: { files: { "a.txt": { url: "../pkg/a.txt", sha256: "a".repeat(64) }, "bad.txt": { url: 3, sha256: "b".repeat(64) } } }, broken: 7 } };
    expect(pkgFilesOf(index, "https://x.example/simvx-assets/pkg-index.json")).toEqual([{ url: "https://x.example/pkg/a.txt", sha256: "a".repeat(64) }]);
    expect(() => pkgFilesOf({ version: 1 }, "https://x.example/i.json")).toThrow(/packages/);
  });
});
