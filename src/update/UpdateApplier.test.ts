import { createHash } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AssetServer } from "../core/AssetServer.js";
import { buildApplyLock } from "../engine/buildLocks.js";
import { FetchEngine } from "../engine/FetchEngine.js";
import { MemoryStore } from "../engine/MemoryStore.js";
import { startTestOrigin, type TestOrigin } from "../../test/support/engine/testOrigin.js";
import type { PkgIndex } from "../kernel/PkgIndex.js";
import { InPageBackend } from "../transport/InPageBackend.js";
import { MemoryLockManager } from "../../test/support/transport/MemoryLockManager.js";
import { type BuildIndex, parseBuildIndex } from "./BuildIndex.js";
import { UPDATE_SCHEME, UpdateApplier } from "./UpdateApplier.js";

let origin: TestOrigin;
let indexUrl: string;
const sha = (text: string): string => createHash("sha256").update(text).digest("hex");

function indexOf(build: string, files: Record<string, string>): BuildIndex & { build: string } {
  const json: PkgIndex = {
    version: 1,
    build,
    shell: [],
    packages: { game: { files: Object.fromEntries(Object.entries(files).map(([path, text]) => [path, { url: `../pkg/${sha(text).slice(0, 8)}-${path}`, size: text.length, sha256: sha(text), immutable: true }])) } },
  };
  return { ...parseBuildIndex(json, indexUrl, 100), build };
}

const RUNNING = { "same.txt": "unchanged", "changed.txt": "before", "gone.txt": "removed later" };
const LATEST = { "same.txt": "unchanged", "changed.txt": "after, and longer", "added.txt": "new in this build" };

beforeEach(async () => {
  origin = await startTestOrigin();
  indexUrl = `${origin.url}/simvx-assets/pkg-index.json`;
  for (const files of [RUNNING, LATEST]) {
    for (const [path, text] of Object.entries(files)) origin.setAsset(`/pkg/${sha(text).slice(0, 8)}-${path}`, text);
  }
});

afterEach(async () => {
  await origin.close();
});

/** What the tabs share: one engine and store (the worker's), the locks, and which build the worker serves. */
function shared() {
  const backend = new InPageBackend(new FetchEngine({ store: new MemoryStore(), ownOrigin: null }));
  const worker = { active: "one", switches: [] as Array<{ build: string; requestsSoFar: number }> };
  return { backend, worker, locks: new MemoryLockManager() };
}

/** One tab: a server whose applyUpdate() goes through an UpdateApplier over the shared parts. */
function tab(world: ReturnType<typeof shared>, name: string, target: { running: BuildIndex; latest: BuildIndex & { build: string } } | null) {
  const server = new AssetServer({ httpBackend: world.backend });
  const applied: string[] = [];
  const applier = new UpdateApplier({
    indexUrl,
    target: async () => target,
    applied: (latest) => applied.push(latest.build),
    backend: world.backend,
    switcher: {
      activeBuild: async () => world.worker.active,
      async switchTo(build) {
        world.worker.switches.push({ build, requestsSoFar: origin.counts.requests });
        const switched = world.worker.active !== build;
        world.worker.active = build;
        return switched;
      },
    },
    locks: world.locks.forOwner(name),
    loadManifest: (uri, opts) => server.loadManifest(uri, opts),
  });
  server.registerSource(UPDATE_SCHEME, applier);
  return { server, applier, applied };
}

const target = () => ({ running: indexOf("one", RUNNING), latest: indexOf("two", LATEST) });

describe("UpdateApplier (applyUpdate)", () => {
  it("downloads the changed and added files, then switches the worker once they are stored", async () => {
    const world = shared();
    const { applier, applied } = tab(world, "a", target());
    const batch = applier.apply();
    await batch.results(10_000);
    expect(batch.handles.map((handle) => handle.uri)).toEqual([`${UPDATE_SCHEME}://apply-1/game/changed.txt`, `${UPDATE_SCHEME}://apply-1/game/added.txt`, `${UPDATE_SCHEME}://apply-1/shell`]);
    expect(batch.handles.map((handle) => handle.servedFrom)).toEqual(["network", "network", "network"]);
    // Progress is weighed by the files' sizes from the index.
    expect(batch.handles.map((handle) => handle.expectedBytes)).toEqual([LATEST["changed.txt"].length, LATEST["added.txt"].length, undefined]);
    expect(Object.keys(origin.counts.byPath).sort()).toEqual([`/pkg/${sha(LATEST["added.txt"]).slice(0, 8)}-added.txt`, `/pkg/${sha(LATEST["changed.txt"]).slice(0, 8)}-changed.txt`]);
    expect(world.worker.switches).toEqual([{ build: "two", requestsSoFar: 2 }]);
    expect(applied).toEqual(["two"]);
  });

  it("two tabs applying at once: the second waits for the first, downloads nothing, and is ready too", async () => {
    const world = shared();
    const a = tab(world, "a", target());
    const b = tab(world, "b", target());
    const [batchA, batchB] = [a.applier.apply(), b.applier.apply()];
    await Promise.all([batchA.results(10_000), batchB.results(10_000)]);
    expect(origin.counts.requests).toBe(2);
    expect(batchA.total + batchB.total).toBe(3 + 1);
    expect(world.worker.switches.map((entry) => entry.build)).toEqual(["two", "two"]);
    expect([a.applied, b.applied]).toEqual([["two"], ["two"]]);
    expect(world.locks.isHeld(buildApplyLock(indexUrl))).toBe(false);
  });

  it("a file that cannot be downloaded fails the batch; the worker is not switched and the locks are let go", async () => {
    origin.deleteAsset(`/pkg/${sha(LATEST["added.txt"]).slice(0, 8)}-added.txt`);
    const world = shared();
    const { applier, applied } = tab(world, "a", target());
    const batch = applier.apply();
    await expect(batch.results(10_000)).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(batch.failedCount).toBeGreaterThanOrEqual(1);
    expect(world.worker.switches).toEqual([]);
    expect(applied).toEqual([]);
    expect(world.locks.isHeld(buildApplyLock(indexUrl))).toBe(false);
  });

  it("with nothing to apply (no new build, or dev), the batch is empty and completes", async () => {
    const world = shared();
    const { applier } = tab(world, "a", null);
    const batch = applier.apply();
    expect(await batch.results(10_000)).toEqual({});
    expect(batch.total).toBe(0);
    expect(origin.counts.requests).toBe(0);
  });
});
