import { describe, expect, it } from "vitest";
import { AssetError } from "../kernel/AssetError.js";
import { AssetServer } from "./AssetServer.js";
import type { AssetServerOptions } from "./options.js";
import { driveToEnd } from "../../test/support/core/driveToEnd.js";
import { type FaultSchedule, type FaultStep, FaultySource, seededSchedule } from "../../test/support/core/FaultySource.js";
import { GatedSource, settle } from "../../test/support/core/GatedSource.js";
import { LoadWatcher } from "../../test/support/core/LoadWatcher.js";
import { ManualClock } from "../../test/support/core/ManualClock.js";

const hangDeaf: FaultStep = { outcome: { kind: "hang" }, ignoreAbort: true };
const good: FaultStep = { outcome: { kind: "bytes" } };

function setup(schedule: FaultSchedule, options: AssetServerOptions = {}) {
  const clock = new ManualClock();
  const faulty = new FaultySource(schedule);
  const gated = new GatedSource();
  const server = new AssetServer({ autoFlush: false, clock, timeoutMs: 100, ...options, sources: { faulty, gate: gated } });
  return { server, clock, faulty, gated, watcher: new LoadWatcher(server) };
}

async function flushes(server: AssetServer, rounds = 3): Promise<void> {
  for (let i = 0; i < rounds; i += 1) {
    await settle(1);
    server.flush();
  }
}

describe("watchdogs", () => {
  it("a read that never settles ends TIMEOUT, and pending() says what was stuck and why until then", async () => {
    const { server, clock } = setup(() => hangDeaf, { maxWorkers: 1 });
    const stuck = server.load("faulty://h/stuck.bin");
    const twin = server.load("faulty://h/stuck.bin");
    const queued = server.load("faulty://h/queued.bin");
    await flushes(server);
    clock.advance(40);
    expect(server.pending()).toEqual([
      { uri: "faulty://h/stuck.bin", state: "loading", reason: "reading", sharedWith: 1, ageMs: 40 },
      { uri: "faulty://h/stuck.bin", state: "loading", reason: "reading", sharedWith: 1, ageMs: 40 },
      { uri: "faulty://h/queued.bin", state: "pending", reason: "queued", sharedWith: 0, ageMs: 40 },
    ]);
    clock.advance(60);
    server.flush();
    expect([stuck, twin, queued].map((handle) => handle.error?.code)).toEqual(["TIMEOUT", "TIMEOUT", "TIMEOUT"]);
    expect(server.pending()).toEqual([]);
  });

  it("a source that ignores its abort signal and never settles does not keep its read slot", async () => {
    const { server, clock, faulty } = setup((uri) => (uri.includes("deaf") ? hangDeaf : good), { maxWorkers: 2 });
    server.load("faulty://h/deaf-1.bin");
    server.load("faulty://h/deaf-2.bin");
    await flushes(server);
    clock.advance(100);
    const later = server.load("faulty://h/later.bin");
    await flushes(server);
    expect(faulty.openReads.map((read) => read.uri)).toEqual(["faulty://h/deaf-1.bin", "faulty://h/deaf-2.bin"]);
    expect(later.state).toBe("loaded");
  });

  it("a per-call timeoutMs overrides the server's", async () => {
    const { server, clock } = setup(() => hangDeaf, { timeoutMs: 1_000 });
    const quick = server.load("faulty://h/a.bin", { timeoutMs: 10 });
    const patient = server.load("faulty://h/b.bin");
    clock.advance(10);
    await flushes(server);
    expect(quick.error?.code).toBe("TIMEOUT");
    expect(patient.isDone).toBe(false);
    clock.advance(990);
    await flushes(server);
    expect(patient.error?.code).toBe("TIMEOUT");
  });

  it("a read that ends after its load timed out changes nothing, and its late progress is ignored", async () => {
    const { server, clock, gated } = setup(() => good);
    const handle = server.load("gate://h/late.bin");
    await flushes(server);
    const gate = gated.gate("gate://h/late.bin");
    clock.advance(100);
    server.flush();
    expect(handle.error?.code).toBe("TIMEOUT");
    gate.progress(5, 10);
    gate.release("too late");
    await flushes(server);
    expect(handle.state).toBe("failed");
    expect(handle.value).toBeUndefined();
    expect(handle.progress).toBe(1);
  });
});

describe("shared reads and cancel", () => {
  it("loading a uri again right after cancelling it starts a new read instead of joining the aborted one", async () => {
    const { server, gated } = setup(() => good);
    const first = server.load("gate://h/a.txt");
    await flushes(server, 1);
    first.cancel();
    const second = server.load("gate://h/a.txt");
    await flushes(server, 1);
    expect(gated.started).toHaveLength(2);
    gated.gate("gate://h/a.txt").release("fresh");
    await flushes(server);
    expect(first.state).toBe("cancelled");
    expect(second.state).toBe("loaded");
    expect(second.value).toBe("fresh");
  });
});

describe("what a source answers", () => {
  it.each<[string, string, FaultStep]>([
    ["throws synchronously", "NETWORK", { outcome: { kind: "throwSync", error: new Error("sync") } }],
    ["rejects with a string", "NETWORK", { outcome: { kind: "reject", error: "nope" } }],
    ["rejects with undefined", "NETWORK", { outcome: { kind: "reject", error: undefined } }],
    ["rejects with an AssetError", "OFFLINE", { outcome: { kind: "reject", error: new AssetError("OFFLINE", "faulty://h/x.bin") } }],
    ["resolves with null", "NETWORK", { outcome: { kind: "garbage", value: null } }],
    ["resolves with a number", "NETWORK", { outcome: { kind: "garbage", value: 42 } }],
    ["resolves bytes that are a string", "NETWORK", { outcome: { kind: "garbage", value: { bytes: "abc", version: "v1" } } }],
    ["answers notModified to a load that holds nothing", "NETWORK", { outcome: { kind: "notModified", version: "v1" } }],
  ])("a source that %s fails the handle with %s", async (_what, code, step) => {
    const { server } = setup(() => step);
    const handle = server.load("faulty://h/x.bin");
    await flushes(server);
    expect(handle.state).toBe("failed");
    expect(handle.error).toBeInstanceOf(AssetError);
    expect(handle.error?.code).toBe(code);
  });

  it.each([
    ["revalidated", "revalidated"],
    ["stale", "stale"],
    ["persistent", "memory"],
    [undefined, "memory"],
  ] as const)("a source confirming the memory copy as %s makes the handle say %s", async (confirmedAs, expected) => {
    const { server } = setup((_uri, index) => (index === 0 ? { outcome: { kind: "bytes", content: "x", version: "v1" } } : { outcome: { kind: "notModified", version: "v1", ...(confirmedAs ? { servedFrom: confirmedAs } : {}) } }));
    server.load("faulty://h/x.txt");
    await flushes(server);
    const again = server.load("faulty://h/x.txt");
    await flushes(server);
    expect(again.value).toBe("x");
    expect(again.servedFrom).toBe(expected);
  });

  it("nonsense progress (NaN, negative, past the total, decreasing) stays within [0, 1] and never goes back", async () => {
    const { server, gated } = setup(() => good);
    const handle = server.load("gate://h/p.bin");
    await flushes(server, 1);
    const gate = gated.gate("gate://h/p.bin");
    const seen: number[] = [];
    for (const [loaded, total] of [[Number.NaN, 10], [-5, 10], [4, 10], [2, 10], [7, Number.NaN], [50, 10], [3, -1], [Number.POSITIVE_INFINITY, null]] as const) {
      gate.progress(loaded, total);
      server.flush();
      seen.push(handle.progress);
    }
    expect(seen.every((value) => value >= 0 && value <= 1)).toBe(true);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(seen[2]).toBeCloseTo(0.4);
    expect(handle.isDone).toBe(false);
  });

  it("bytes over maxBytes from any source fail TOO_LARGE and are not cached", async () => {
    const { server } = setup(() => good);
    server.mem.set("big.bin", new Uint8Array(100));
    const handle = server.load("mem://big.bin", { maxBytes: 99 });
    await flushes(server);
    expect(handle.error?.code).toBe("TOO_LARGE");
    expect(server.memoryCacheBytes()).toBe(0);
  });

  it("per-call retries, stallTimeoutMs and maxBytes reach the source; the server's apply otherwise", async () => {
    const { server, gated } = setup(() => good, { retries: 4, stallTimeoutMs: 5_000, maxBytes: 1_000 });
    server.load("gate://h/default.bin");
    server.load("gate://h/custom.bin", { retries: 0, stallTimeoutMs: 50, maxBytes: 10 });
    await flushes(server, 1);
    const pick = (uri: string) => {
      const { retries, stallTimeoutMs, maxBytes } = gated.gate(uri).ctx;
      return { retries, stallTimeoutMs, maxBytes };
    };
    expect(pick("gate://h/default.bin")).toEqual({ retries: 4, stallTimeoutMs: 5_000, maxBytes: 1_000 });
    expect(pick("gate://h/custom.bin")).toEqual({ retries: 0, stallTimeoutMs: 50, maxBytes: 10 });
  });
});

describe("hostile options", () => {
  it.each([
    ["a signal whose addEventListener throws", { aborted: false, addEventListener: () => { throw new Error("fake signal"); } }],
    ["a signal whose aborted getter throws", { get aborted(): boolean { throw new Error("fake signal"); }, addEventListener: () => undefined }],
  ])("%s fails the load instead of throwing, and leaves nothing pending", async (_what, signal) => {
    const { server, gated, watcher } = setup(() => good);
    const handle = watcher.handle(server.load("gate://h/a.bin", { signal: signal as unknown as AbortSignal }));
    const batch = watcher.batch(server.loadFolder("mem://dir/", { signal: signal as unknown as AbortSignal }));
    await flushes(server);
    expect(handle.error?.code).toBe("INVALID_URI");
    expect(handle.error?.message).toContain("fake signal");
    expect(batch.isDone).toBe(true);
    expect(gated.started.every((read) => read.ctx.signal.aborted)).toBe(true);
    expect(watcher.checkAllEnded()).toEqual([]);
  });
});

describe("batches under faults", () => {
  it("loadGroup with holes in its array fails the holes instead of throwing", async () => {
    const { server, watcher } = setup(() => good);
    server.mem.set("a", "1");
    // eslint-disable-next-line no-sparse-arrays -- the holes are the point
    const batch = watcher.batch(server.loadGroup([, "mem://a", ,] as unknown as string[]));
    await driveToEnd(server, new ManualClock(), watcher);
    expect(batch.handles.map((handle) => handle.state)).toEqual(["failed", "loaded", "failed"]);
    expect(batch.handles[0]!.error?.code).toBe("INVALID_URI");
    expect(watcher.checkAllEnded()).toEqual([]);
  });

  it("itemCompleted fires for a manifest entry that fails before the batch has its children", async () => {
    const { server, watcher } = setup(() => good);
    server.mem.set("g/a.txt", "a");
    server.mem.set("g/m.json", { assets: ["a.txt", "nope://x/y", "../../out.txt"] });
    const batch = watcher.batch(server.loadManifest("mem://g/m.json"));
    const items: string[] = [];
    batch.itemCompleted.connect((item) => items.push(`${item.uri} ${item.state}`));
    await flushes(server);
    expect(items.sort()).toEqual(["../../out.txt failed", "mem://g/a.txt loaded", "nope://x/y failed"]);
    expect(batch.completedCount).toBe(3);
    expect(watcher.checkAllEnded()).toEqual([]);
  });

  it("a manifest entry with control characters fails INVALID_URI, as a direct load does, instead of loading another file", async () => {
    const { server, watcher } = setup(() => good);
    server.mem.set("g/lvl/ab.txt", "wrong file");
    server.mem.set("g/x", "wrong file");
    server.mem.set("g/lvl/m.json", { assets: ["a\tb.txt", "..\t/..\t/x", "a\nb.txt"] });
    const batch = watcher.batch(server.loadManifest("mem://g/lvl/m.json"));
    await flushes(server);
    expect(batch.handles.map((handle) => handle.error?.code)).toEqual(["INVALID_URI", "INVALID_URI", "INVALID_URI"]);
    expect(watcher.checkAllEnded()).toEqual([]);
  });

  it("a failFast batch cancels the rest on the first failure of a manifest entry", async () => {
    const { server, gated, watcher } = setup(() => good);
    server.mem.set("g/m.json", { assets: ["gate://h/slow.bin", "nope://x/y"] });
    const batch = watcher.batch(server.loadManifest("mem://g/m.json", { failFast: true }));
    await flushes(server, 4);
    expect(batch.isDone).toBe(true);
    expect(batch.handles.map((handle) => handle.state)).toEqual(["cancelled", "failed"]);
    expect(gated.started[0]?.ctx.signal.aborted).toBe(true);
  });

  it("the placeholder a folder or manifest batch starts with ends too, loaded with the listing, outside the batch", async () => {
    const { server, gated, watcher } = setup(() => good);
    server.mem.set("dir/a.txt", "a");
    const manifestBatch = watcher.batch(server.loadManifest("gate://h/m.json"));
    const folderBatch = watcher.batch(server.loadFolder("mem://dir/"));
    const manifestPlaceholder = manifestBatch.handles[0]!;
    const folderPlaceholder = folderBatch.handles[0]!;
    const items: string[] = [];
    manifestBatch.itemCompleted.connect((item) => items.push(item.uri));
    await flushes(server, 1);
    gated.gate("gate://h/m.json").release(JSON.stringify({ assets: ["gate://h/a.bin"] }));
    await flushes(server, 2);
    expect(manifestPlaceholder.state).toBe("loaded");
    expect(manifestPlaceholder.value).toEqual([{ uri: "gate://h/a.bin" }]);
    expect(folderPlaceholder.state).toBe("loaded");
    expect(folderPlaceholder.value).toEqual(["mem://dir/a.txt"]);
    expect(manifestBatch.handles.map((handle) => handle.uri)).toEqual(["gate://h/a.bin"]);
    expect(manifestBatch.completedCount).toBe(0);
    expect(items).toEqual([]);
    gated.gate("gate://h/a.bin").release("a");
    await flushes(server, 2);
    expect(items).toEqual(["gate://h/a.bin"]);
    expect(watcher.checkAllEnded()).toEqual([]);
  });

  it("batch progress never goes back when a manifest turns into its children", async () => {
    const { server, gated, watcher } = setup(() => good);
    const batch = watcher.batch(server.loadManifest("gate://h/m.json"));
    await flushes(server, 1);
    const manifest = gated.gate("gate://h/m.json");
    manifest.progress(60, 100);
    server.flush();
    watcher.afterFlush();
    const before = batch.progress;
    manifest.release(JSON.stringify({ assets: ["gate://h/a.bin", "gate://h/b.bin"] }));
    await flushes(server, 2);
    watcher.afterFlush();
    expect(batch.total).toBe(2);
    expect(batch.progress).toBeGreaterThanOrEqual(before);
    expect(watcher.problems).toEqual([]);
  });
});

describe("a seeded fault schedule over many loads", () => {
  it("every handle ends with a known code or its value, and the ends add up", async () => {
    // Enough read slots that the few hung reads never hold them all (they keep theirs until they time out).
    const mix = { bytes: 6, notModified: 1, reject: 2, throwSync: 1, garbage: 1, hang: 0.5 };
    const { server, clock, faulty, watcher } = setup(seededSchedule(20240611, mix), { maxWorkers: 32, timeoutMs: 200 });
    const uris = Array.from({ length: 400 }, (_, i) => `faulty://h/asset-${i % 300}.bin`);
    const batch = watcher.batch(server.loadGroup(uris));
    await driveToEnd(server, clock, watcher, { maxSteps: 4, jumpMs: 250 });
    expect(watcher.checkAllEnded()).toEqual([]);
    const byState = { loaded: 0, failed: 0, cancelled: 0 } as Record<string, number>;
    const byCode: Record<string, number> = {};
    for (const handle of batch.handles) {
      byState[handle.state] = (byState[handle.state] ?? 0) + 1;
      if (handle.error) byCode[handle.error.code] = (byCode[handle.error.code] ?? 0) + 1;
    }
    const faultsInjected = faulty.reads.filter((read) => read.step.outcome.kind !== "bytes").length;
    console.info(`seeded faults: ${uris.length} loads, ${faulty.reads.length} reads, ${faultsInjected} faulty, ended ${JSON.stringify(byState)}, codes ${JSON.stringify(byCode)}`);
    expect(byState.loaded! + byState.failed! + byState.cancelled!).toBe(uris.length);
    expect(batch.completedCount).toBe(uris.length);
    expect(faultsInjected).toBeGreaterThan(50);
    expect(byState.loaded).toBeGreaterThan(0);
    expect(byCode.TIMEOUT).toBeGreaterThan(0);
    // One read per distinct uri (the 100 repeats share it), and a second one only where the first
    // answered "not modified" for a copy the memory cache does not hold.
    const readsPerUri = new Map<string, number>();
    for (const read of faulty.reads) readsPerUri.set(read.uri, (readsPerUri.get(read.uri) ?? 0) + 1);
    expect(readsPerUri.size).toBe(300);
    expect(Math.max(...readsPerUri.values())).toBeLessThanOrEqual(2);
  });
});
