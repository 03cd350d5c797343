import { createHash } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { AssetServer } from "./AssetServer.js";
import type { AssetServerOptions } from "./options.js";
import { flushUntilDone, GatedSource, settle } from "../../test/support/core/GatedSource.js";
import type { Source } from "../sources/Source.js";

function setup(options: AssetServerOptions = {}) {
  const gated = new GatedSource();
  const server = new AssetServer({ autoFlush: false, ...options, sources: { gate: gated, ...options.sources } });
  return { server, gated };
}

async function drain(server: AssetServer, rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i += 1) {
    await settle();
    server.flush();
  }
}

describe("loadGroup", () => {
  it("counts children by state and completes after the last itemCompleted", async () => {
    const { server, gated } = setup();
    server.mem.set("ok.txt", "fine");
    const batch = server.loadGroup(["mem://ok.txt", "mem://missing.txt", "gate://x/slow.bin"]);
    expect(batch.total).toBe(3);
    const events: string[] = [];
    batch.itemCompleted.connect((handle) => events.push(`item ${handle.state} ${batch.completedCount}/${batch.total}`));
    batch.completed.connect(() => events.push("batch"));
    await settle();
    server.flush();
    expect(batch.completedCount).toBe(2);
    expect(batch.failedCount).toBe(1);
    expect(batch.isDone).toBe(false);
    gated.gate("gate://x/slow.bin").release("x");
    await settle();
    server.flush();
    expect(events.slice(0, 2).map((event) => event.split(" ")[1]).sort()).toEqual(["failed", "loaded"]);
    expect(events.slice(0, 2).map((event) => event.slice(-3))).toEqual(["1/3", "2/3"]);
    expect(events.slice(2)).toEqual(["item loaded 3/3", "batch"]);
    expect(batch.isDone).toBe(true);
    expect(batch.progress).toBe(1);
  });

  it("an empty batch completes on the next flush", async () => {
    const { server } = setup();
    const batch = server.loadGroup([]);
    const done = vi.fn();
    batch.completed.connect(done);
    expect(batch.isDone).toBe(false);
    server.flush();
    expect(done).toHaveBeenCalledTimes(1);
    expect(batch.isDone).toBe(true);
    expect(batch.progress).toBe(1);
    await expect(batch.results()).resolves.toEqual({});
  });

  it("gives partial credit for reads in flight", async () => {
    const { server, gated } = setup();
    const batch = server.loadGroup(["gate://x/a.bin", "gate://x/b.bin"]);
    await settle();
    server.flush();
    gated.gate("gate://x/a.bin").progress(50, 100);
    server.flush();
    expect(batch.progress).toBeCloseTo(0.25);
    gated.gate("gate://x/a.bin").release(new Uint8Array(100));
    await settle();
    server.flush();
    expect(batch.progress).toBeCloseTo(0.5);
  });

  it("results() are keyed by each child's absolute uri", async () => {
    const { server } = setup({ defaultBase: "mem://root/" });
    server.mem.set("root/a.json", [1]);
    server.mem.set("root/b.txt", "b");
    const batch = server.loadGroup(["a.json", "mem://root/b.txt"]);
    const results = batch.results();
    await drain(server);
    await expect(results).resolves.toEqual({ "mem://root/a.json": [1], "mem://root/b.txt": "b" });
  });

  it("results() rejects with the failed child's error", async () => {
    const { server } = setup();
    server.mem.set("ok", "1");
    const batch = server.loadGroup(["mem://ok", "mem://nope"]);
    await drain(server);
    await expect(batch.results()).rejects.toMatchObject({ code: "NOT_FOUND", uri: "mem://nope" });
  });

  it("cancel() cancels every unfinished child", async () => {
    const { server, gated } = setup();
    server.mem.set("done", "1");
    const batch = server.loadGroup(["mem://done", "gate://x/a.bin", "gate://x/b.bin"]);
    await drain(server, 1);
    batch.cancel();
    expect(gated.started.every((gate) => gate.ctx.signal.aborted)).toBe(true);
    server.flush();
    expect(batch.cancelledCount).toBe(2);
    expect(batch.completedCount).toBe(3);
    expect(batch.isDone).toBe(true);
  });

  it("failFast cancels the rest on the first failure; the default carries on", async () => {
    const { server, gated } = setup();
    const strict = server.loadGroup(["mem://missing", "gate://x/a.bin"], { failFast: true });
    const lenient = server.loadGroup(["mem://missing", "gate://x/b.bin"]);
    await drain(server, 2);
    expect(strict.isDone).toBe(true);
    expect(strict.cancelledCount).toBe(1);
    expect(lenient.isDone).toBe(false);
    gated.gate("gate://x/b.bin").release("x");
    await drain(server, 2);
    expect(lenient.failedCount).toBe(1);
    expect(lenient.handles[1]!.state).toBe("loaded");
  });

  it("a bad uri in a group fails only its own child", async () => {
    const { server } = setup();
    server.mem.set("ok", "1");
    const batch = server.loadGroup(["mem://ok", "pkg://game/../../x", ""]);
    await drain(server);
    expect(batch.handles.map((handle) => handle.state)).toEqual(["loaded", "failed", "failed"]);
    expect(batch.failedCount).toBe(2);
  });
});

describe("loadFolder", () => {
  it("loads every listed file, recursively on request", async () => {
    const { server } = setup();
    server.mem.set("lvl/a.txt", "a");
    server.mem.set("lvl/b.txt", "b");
    server.mem.set("lvl/deep/c.txt", "c");
    const flat = server.loadFolder("mem://lvl/");
    const deep = server.loadFolder("mem://lvl/", { recursive: true });
    await drain(server);
    expect(Object.values(await flat.results())).toEqual(["a", "b"]);
    expect(Object.keys(await deep.results()).sort()).toEqual(["mem://lvl/a.txt", "mem://lvl/b.txt", "mem://lvl/deep/c.txt"]);
  });

  it("fails with NOT_LISTABLE for a source without list, as one failed child", async () => {
    const noList: Source = { read: async () => ({ bytes: new Uint8Array(), version: null }) };
    const { server } = setup({ sources: { plain: noList } });
    const batch = server.loadFolder("plain://x/dir/");
    await drain(server);
    expect(batch.total).toBe(1);
    expect(batch.failedCount).toBe(1);
    expect(batch.handles[0]!.uri).toBe("plain://x/dir/");
    await expect(batch.results()).rejects.toMatchObject({ code: "NOT_LISTABLE" });
  });

  it("a folder that cannot be listed is one failed child with the folder's uri", async () => {
    const { server, gated } = setup();
    gated.listing = new Error("disk on fire");
    const batch = server.loadFolder("gate://x/dir/");
    await drain(server);
    expect(batch.total).toBe(1);
    expect(batch.failedCount).toBe(1);
    expect(batch.handles[0]!.uri).toBe("gate://x/dir/");
  });

  it("an empty folder completes with no children", async () => {
    const { server } = setup();
    const batch = server.loadFolder("mem://nothing-here/");
    await drain(server);
    expect(batch.isDone).toBe(true);
    expect(batch.total).toBe(0);
  });

  it("cancel() during listing ends the batch cancelled", async () => {
    const { server } = setup();
    server.mem.set("dir/a", "1");
    const batch = server.loadFolder("mem://dir/");
    batch.cancel();
    await drain(server);
    expect(batch.isDone).toBe(true);
    expect(batch.cancelledCount).toBe(1);
  });
});

describe("loadManifest", () => {
  const sri = (text: string) => `sha256-${createHash("sha256").update(text).digest("base64")}`;

  it("loads the listed assets, resolving relative entries against the manifest", async () => {
    const { server } = setup();
    server.mem.set("game/tex/a.txt", "A");
    server.mem.set("game/b.txt", "B");
    server.mem.set("game/levels/manifest.json", { assets: ["../tex/a.txt", { uri: "mem://game/b.txt" }] });
    const batch = server.loadManifest("mem://game/levels/manifest.json");
    await drain(server);
    expect(batch.total).toBe(2);
    await expect(batch.results()).resolves.toEqual({ "mem://game/tex/a.txt": "A", "mem://game/b.txt": "B" });
  });

  it("weighs progress by the sizes a manifest gives", async () => {
    const { server, gated } = setup();
    server.mem.set("m.json", { assets: [{ uri: "gate://x/small.bin", size: 100 }, { uri: "gate://x/big.bin", size: 900 }] });
    const batch = server.loadManifest("mem://m.json");
    await drain(server, 3);
    gated.gate("gate://x/small.bin").release(new Uint8Array(100));
    await drain(server, 2);
    expect(batch.progress).toBeCloseTo(0.1);
    gated.gate("gate://x/big.bin").progress(450, null);
    server.flush();
    expect(batch.progress).toBeCloseTo(0.55);
  });

  it("fails only the child whose integrity does not match", async () => {
    const { server } = setup();
    server.mem.set("game/good.txt", "good");
    server.mem.set("game/bad.txt", "tampered");
    server.mem.set("game/m.json", { assets: [{ uri: "good.txt", integrity: sri("good") }, { uri: "bad.txt", integrity: sri("original") }] });
    const batch = server.loadManifest("mem://game/m.json");
    await drain(server, 3);
    await flushUntilDone(server, [batch]);
    expect(batch.handles.map((handle) => [handle.uri, handle.state, handle.error?.code ?? null])).toEqual([
      ["mem://game/good.txt", "loaded", null],
      ["mem://game/bad.txt", "failed", "INTEGRITY"],
    ]);
  });

  it.each([
    ["malformed JSON", "{ assets: [", "PARSE"],
    ["no assets array", '{"files": []}', "PARSE"],
    ["assets not an array", '{"assets": "a.png"}', "PARSE"],
    ["an entry of the wrong type", '{"assets": [42]}', "PARSE"],
    ["a size of the wrong type", '{"assets": [{"uri": "a", "size": "big"}]}', "PARSE"],
    ["a top-level array", '["a.png"]', "PARSE"],
  ])("a manifest with %s is one failed child with the manifest's uri", async (_what, text, code) => {
    const { server } = setup();
    server.mem.set("m.json", text);
    const batch = server.loadManifest("mem://m.json");
    await drain(server);
    expect(batch.total).toBe(1);
    expect(batch.failedCount).toBe(1);
    expect(batch.handles[0]!.uri).toBe("mem://m.json");
    await expect(batch.results()).rejects.toMatchObject({ code });
  });

  it("a missing manifest is one failed child with NOT_FOUND", async () => {
    const { server } = setup();
    const batch = server.loadManifest("mem://none.json");
    await drain(server);
    await expect(batch.results()).rejects.toMatchObject({ code: "NOT_FOUND", uri: "mem://none.json" });
  });

  it("loads duplicate entries once, and fails an entry that climbs out of its root alone", async () => {
    const { server } = setup();
    server.mem.set("g/a.txt", "a");
    server.mem.set("g/m.json", { assets: ["a.txt", "mem://g/a.txt", "../../x.txt"] });
    const batch = server.loadManifest("mem://g/m.json");
    await drain(server);
    expect(batch.total).toBe(2);
    expect(batch.handles[1]!.error?.code).toBe("INVALID_URI");
  });
});
