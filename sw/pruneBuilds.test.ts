import { describe, expect, it } from "vitest";
import { runningBuildLock } from "../src/engine/buildLocks.js";
import type { BuildRecord } from "./BuildRecords.js";
import { pruneBuilds } from "./pruneBuilds.js";

const INDEX = "https://game.example/simvx-assets/pkg-index.json";

function record(build: string, storedAt: number, files: string[], shell: string[] = []): BuildRecord {
  return { key: `${INDEX}#${build}`, indexUrl: INDEX, build, files, shell: shell.map((key) => [key.split("?")[0]!, key]), storedAt };
}

/** Prunes `records` as the worker of `ownBuild` would while pages run `running`. */
async function prune(records: BuildRecord[], ownBuild: string, running: string[], locks = true) {
  const dropped: string[] = [];
  const deletedRecords: string[] = [];
  let keptShell: string[] = [];
  const report = await pruneBuilds({
    indexUrl: INDEX,
    ownBuild,
    records: { list: async () => records, delete: async (keys) => void deletedRecords.push(...keys) },
    locks: locks ? { query: async () => ({ held: [...running.map((build) => ({ name: runningBuildLock(INDEX, build), mode: "shared" as const })), { name: "someone-else", mode: "exclusive" as const }], pending: [] }) } : null,
    dropFiles: async (urls) => void dropped.push(...urls),
    pruneShell: async (keep) => ((keptShell = [...keep].sort()), 0),
  });
  return { report, dropped: dropped.sort(), deletedRecords, keptShell };
}

describe("pruneBuilds", () => {
  const one = record("one", 1, ["/a-1.png", "/b-1.json", "/same.txt"], ["/index.html?r=1"]);
  const two = record("two", 2, ["/a-2.png", "/b-1.json", "/same.txt"], ["/index.html?r=2"]);
  const three = record("three", 3, ["/a-3.png", "/same.txt"], ["/index.html?r=3"]);

  it("deletes what only a build no page runs references, keeping files a kept build shares", async () => {
    const { report, dropped, deletedRecords, keptShell } = await prune([one, two], "two", []);
    expect(report).toMatchObject({ kept: ["two"], dropped: ["one"], files: 1 });
    expect(dropped).toEqual(["/a-1.png"]);
    expect(deletedRecords).toEqual([one.key]);
    expect(keptShell).toEqual(["/index.html?r=2"]);
  });

  it("keeps a build while a page runs it (its lock is held)", async () => {
    const { report, dropped, keptShell } = await prune([one, two], "two", ["one"]);
    expect(report?.dropped).toEqual([]);
    expect(dropped).toEqual([]);
    expect(keptShell).toEqual(["/index.html?r=1", "/index.html?r=2"]);
  });

  it("keeps a newer build than its own: a worker waiting to take over", async () => {
    const { report, dropped } = await prune([one, two, three], "two", []);
    expect(report).toMatchObject({ kept: ["two", "three"], dropped: ["one"] });
    expect(dropped).toEqual(["/a-1.png"]);
  });

  it("deletes nothing where it cannot see which builds run (no Web Locks)", async () => {
    const { report, dropped } = await prune([one, two], "two", [], false);
    expect(report).toBeNull();
    expect(dropped).toEqual([]);
  });
});
