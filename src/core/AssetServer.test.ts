import { describe, expect, it, vi } from "vitest";
import { AssetError } from "../kernel/AssetError.js";
import { AssetServer } from "./AssetServer.js";
import type { AssetServerOptions } from "./options.js";
import { flushUntilDone, GatedSource, settle } from "../../test/support/core/GatedSource.js";
import { ManualClock } from "../../test/support/core/ManualClock.js";
import { stallGraceMs } from "./ReadJob.js";
import { Loader } from "../loaders/Loader.js";

function setup(options: AssetServerOptions = {}) {
  const gated = new GatedSource();
  const server = new AssetServer({ autoFlush: false, ...options, sources: { gate: gated, ...options.sources } });
  return { server, gated };
}

class CountingTextLoader extends Loader<string> {
  readonly suffixes = [".txt"];
  parses = 0;
  parse(raw: Uint8Array): string {
    this.parses += 1;
    return new TextDecoder().decode(raw);
  }
}

describe("load", () => {
  it("never completes synchronously: the handle stays pending until a flush", async () => {
    const { server } = setup();
    server.mem.set("a.txt", "hello");
    const handle = server.load("mem://a.txt");
    expect(handle.state).toBe("pending");
    await settle();
    expect(handle.state).toBe("pending");
    expect(handle.value).toBeUndefined();
    expect(server.flush()).toBe(1);
    expect(handle.state).toBe("loaded");
    expect(handle.value).toBe("hello");
    expect(handle.progress).toBe(1);
    expect(handle.isDone).toBe(true);
  });

  it("changes state only inside flush, even after the read has finished", async () => {
    const { server, gated } = setup();
    const handle = server.load("gate://x/a.json");
    await settle();
    gated.gate("gate://x/a.json").release('{"n":1}');
    await settle();
    expect(handle.state).toBe("pending");
    server.flush();
    expect(handle.state).toBe("loaded");
    expect(handle.value).toEqual({ n: 1 });
  });

  it("moves to loading on the flush after its read starts", async () => {
    const { server } = setup();
    const handle = server.load("gate://x/a.bin");
    await settle();
    expect(handle.state).toBe("pending");
    server.flush();
    expect(handle.state).toBe("loading");
  });

  it("emits completed exactly once, from flush", async () => {
    const { server } = setup();
    server.mem.set("k", "v");
    const handle = server.load("mem://k");
    const seen = vi.fn();
    handle.completed.connect(seen);
    await settle();
    server.flush();
    server.flush();
    handle.cancel();
    await settle();
    server.flush();
    expect(seen).toHaveBeenCalledTimes(1);
    expect(seen).toHaveBeenCalledWith(handle);
    expect(handle.state).toBe("loaded");
  });

  it.each([
    ["an empty uri", "", "INVALID_URI"],
    ["a blank uri", "   ", "INVALID_URI"],
    ["an unknown scheme", "nope://x/y.png", "UNSUPPORTED_SCHEME"],
    ["a pkg path that climbs out of its package", "pkg://game/../secret.txt", "INVALID_URI"],
    ["a file path that climbs out of the root", "file:///a/../../etc/passwd", "INVALID_URI"],
    ["a mem key that climbs out", "mem://a/../../b", "INVALID_URI"],
    ["control characters", "mem://a\u0000b", "INVALID_URI"],
    ["a missing mem key", "mem://missing", "NOT_FOUND"],
  ])("fails %s with %s on the next flush, never throwing", async (_what, uri, code) => {
    const { server } = setup();
    const handle = server.load(uri);
    expect(handle.state).toBe("pending");
    await settle();
    server.flush();
    expect(handle.state).toBe("failed");
    expect(handle.error).toBeInstanceOf(AssetError);
    expect(handle.error?.code).toBe(code);
    await expect(handle.result()).rejects.toMatchObject({ code });
  });

  it("fails a non-string uri with INVALID_URI instead of throwing", async () => {
    const { server } = setup();
    const handle = server.load(42 as unknown as string);
    await settle();
    server.flush();
    expect(handle.error?.code).toBe("INVALID_URI");
  });

  it("fails with PARSE when the loader cannot parse the bytes", async () => {
    const { server } = setup();
    server.mem.set("bad.json", "{ not json");
    const handle = server.load("mem://bad.json");
    await settle();
    server.flush();
    expect(handle.state).toBe("failed");
    expect(handle.error?.code).toBe("PARSE");
    expect(handle.error?.uri).toBe("mem://bad.json");
  });

  it("keeps the source's error code and status", async () => {
    const { server, gated } = setup();
    const handle = server.load("gate://x/a.png");
    await settle();
    gated.gate("gate://x/a.png").fail(new AssetError("HTTP", "gate://x/a.png", { status: 503 }));
    await settle();
    server.flush();
    expect(handle.error?.code).toBe("HTTP");
    expect(handle.error?.status).toBe(503);
  });

  it("reports real progress from the source, never backwards, and 1 when done", async () => {
    const { server, gated } = setup();
    const handle = server.load("gate://x/big.bin");
    await settle();
    const gate = gated.gate("gate://x/big.bin");
    gate.progress(25, 100);
    server.flush();
    expect(handle.progress).toBeCloseTo(0.25);
    gate.progress(10, 100);
    server.flush();
    expect(handle.progress).toBeCloseTo(0.25);
    gate.progress(75, 100);
    server.flush();
    expect(handle.progress).toBeCloseTo(0.75);
    gate.release(new Uint8Array(100));
    await settle();
    server.flush();
    expect(handle.progress).toBe(1);
  });

  it("result() resolves with the value once a flush finishes the handle", async () => {
    const { server } = setup();
    server.mem.set("level.json", { level: 3 });
    const handle = server.load<{ level: number }>("mem://level.json");
    const result = handle.result();
    await settle();
    server.flush();
    await expect(result).resolves.toEqual({ level: 3 });
  });

  it("result(timeoutMs) rejects with TIMEOUT when nothing finishes it in time", async () => {
    const { server } = setup();
    const handle = server.load("gate://x/slow.bin");
    await expect(handle.result(20)).rejects.toMatchObject({ code: "TIMEOUT" });
    expect(handle.isDone).toBe(false);
  });

  it("a load that outlives its timeoutMs fails with TIMEOUT and aborts its read", async () => {
    const clock = new ManualClock();
    const { server, gated } = setup({ clock, timeoutMs: 30 });
    const handle = server.load("gate://x/never.bin");
    await settle();
    const gate = gated.gate("gate://x/never.bin");
    clock.advance(30);
    server.flush();
    expect(handle.state).toBe("failed");
    expect(handle.error?.code).toBe("TIMEOUT");
    expect(gate.ctx.signal.aborted).toBe(true);
  });

  it("autoFlush in Node finishes handles on the event loop without calling flush()", async () => {
    const server = new AssetServer({ sources: {} });
    server.mem.set("a.txt", "auto");
    const handle = server.load("mem://a.txt");
    await expect(handle.result(10_000)).resolves.toBe("auto");
    server.dispose();
  });
});

describe("cancel", () => {
  it("cancels on the next flush and aborts the read through its signal", async () => {
    const { server, gated } = setup();
    const handle = server.load("gate://x/a.bin");
    await settle();
    const gate = gated.gate("gate://x/a.bin");
    handle.cancel();
    expect(handle.state).toBe("pending");
    expect(gate.ctx.signal.aborted).toBe(true);
    server.flush();
    expect(handle.state).toBe("cancelled");
    expect(handle.error?.code).toBe("CANCELLED");
    await expect(handle.result()).rejects.toMatchObject({ code: "CANCELLED" });
  });

  it("follows the caller's AbortSignal", async () => {
    const { server, gated } = setup();
    const controller = new AbortController();
    const handle = server.load("gate://x/a.bin", { signal: controller.signal });
    await settle();
    controller.abort();
    await settle();
    server.flush();
    expect(handle.state).toBe("cancelled");
    expect(gated.started[0]!.ctx.signal.aborted).toBe(true);
  });

  it("an already-aborted signal cancels the load", async () => {
    const { server } = setup();
    const handle = server.load("gate://x/a.bin", { signal: AbortSignal.abort() });
    await settle();
    server.flush();
    expect(handle.state).toBe("cancelled");
  });
});

describe("scheduling", () => {
  it("runs at most maxWorkers reads at once", async () => {
    const { server, gated } = setup({ maxWorkers: 2 });
    const handles = ["a", "b", "c", "d"].map((name) => server.load(`gate://x/${name}.bin`));
    await settle();
    expect(gated.waiting.map((gate) => gate.uri)).toEqual(["gate://x/a.bin", "gate://x/b.bin"]);
    gated.gate("gate://x/a.bin").release("1");
    await settle();
    expect(gated.waiting.map((gate) => gate.uri)).toEqual(["gate://x/b.bin", "gate://x/c.bin"]);
    for (const gate of [...gated.waiting]) gate.release("2");
    await settle();
    gated.gate("gate://x/d.bin").release("3");
    await settle();
    server.flush();
    expect(handles.every((handle) => handle.state === "loaded")).toBe(true);
  });

  it("starts queued reads in priority order, higher first, then in call order", async () => {
    const { server, gated } = setup({ maxWorkers: 1 });
    server.load("gate://x/first.bin");
    server.load("gate://x/low.bin", { priority: -1 });
    server.load("gate://x/normal.bin");
    server.load("gate://x/urgent.bin", { priority: 10 });
    await settle();
    const order: string[] = [];
    while (gated.waiting.length > 0) {
      const gate = gated.waiting[0]!;
      order.push(gate.uri.replace("gate://x/", ""));
      gate.release("ok");
      await settle();
    }
    expect(order).toEqual(["first.bin", "urgent.bin", "normal.bin", "low.bin"]);
  });

  it("two loads of one uri share one read", async () => {
    const { server, gated } = setup();
    const first = server.load("gate://x/shared.json");
    const second = server.load("gate://x/shared.json");
    await settle();
    expect(gated.started).toHaveLength(1);
    gated.gate("gate://x/shared.json").release('{"shared":true}');
    await settle();
    expect(server.flush()).toBe(2);
    expect(first.value).toEqual({ shared: true });
    expect(second.value).toBe(first.value);
  });

  it("cancelling one of two loads of a uri leaves the other loading", async () => {
    const { server, gated } = setup();
    const first = server.load("gate://x/shared.bin");
    const second = server.load("gate://x/shared.bin");
    await settle();
    first.cancel();
    const gate = gated.gate("gate://x/shared.bin");
    expect(gate.ctx.signal.aborted).toBe(false);
    gate.release("bytes");
    await settle();
    server.flush();
    expect(first.state).toBe("cancelled");
    expect(second.state).toBe("loaded");
  });

  it("cancelling every load of a uri aborts the shared read", async () => {
    const { server, gated } = setup();
    const first = server.load("gate://x/shared.bin");
    const second = server.load("gate://x/shared.bin");
    await settle();
    first.cancel();
    second.cancel();
    expect(gated.started[0]!.ctx.signal.aborted).toBe(true);
  });

  it("a cancelled load that was still queued never reads", async () => {
    const { server, gated } = setup({ maxWorkers: 1 });
    server.load("gate://x/busy.bin");
    const queued = server.load("gate://x/queued.bin");
    await settle();
    queued.cancel();
    gated.gate("gate://x/busy.bin").release("x");
    await settle();
    expect(gated.started.map((gate) => gate.uri)).toEqual(["gate://x/busy.bin"]);
    server.flush();
    expect(queued.state).toBe("cancelled");
  });

  it("pending() says what is in flight and why", async () => {
    const { server } = setup({ maxWorkers: 1 });
    server.load("gate://x/reading.bin");
    server.load("gate://x/waiting.bin");
    await settle();
    const pending = server.pending();
    expect(pending.map((load) => [load.uri, load.reason])).toEqual([
      ["gate://x/reading.bin", "reading"],
      ["gate://x/waiting.bin", "queued"],
    ]);
  });
});

describe("memory cache", () => {
  it("a hit with an unchanged version neither re-reads the bytes nor re-parses", async () => {
    const loader = new CountingTextLoader();
    const { server, gated } = setup({ loaders: [loader] });
    const first = server.load("gate://x/a.txt");
    await settle();
    gated.gate("gate://x/a.txt").release("text", "v1");
    await settle();
    server.flush();
    expect(first.servedFrom).toBe("network");
    const second = server.load("gate://x/a.txt");
    await settle();
    const gate = gated.gate("gate://x/a.txt");
    expect(gate.ctx.knownVersion).toBe("v1");
    gate.notModified("v1");
    await settle();
    server.flush();
    expect(second.value).toBe("text");
    expect(second.servedFrom).toBe("memory");
    expect(loader.parses).toBe(1);
  });

  it("a source confirming the copy by revalidation is reported as revalidated", async () => {
    const { server, gated } = setup();
    server.load("gate://x/a.txt");
    await settle();
    gated.gate("gate://x/a.txt").release("text", "etag-1");
    await settle();
    server.flush();
    const again = server.load("gate://x/a.txt");
    await settle();
    gated.gate("gate://x/a.txt").notModified("etag-1", "revalidated");
    await settle();
    server.flush();
    expect(again.servedFrom).toBe("revalidated");
  });

  it("a changed version is read and parsed again", async () => {
    const { server } = setup();
    server.mem.set("a.txt", "one");
    const first = server.load("mem://a.txt");
    await settle();
    server.flush();
    server.mem.set("a.txt", "two"); // same length: the seed's caveat
    const second = server.load("mem://a.txt");
    await settle();
    server.flush();
    expect(first.value).toBe("one");
    expect(second.value).toBe("two");
    expect(second.servedFrom).toBe("network");
  });

  it("cache: false reads fresh and writes nothing", async () => {
    const loader = new CountingTextLoader();
    const { server, gated } = setup({ loaders: [loader] });
    const first = server.load("gate://x/a.txt", { cache: false });
    await settle();
    expect(gated.gate("gate://x/a.txt").ctx.cache).toBe(false);
    gated.gate("gate://x/a.txt").release("one", "v1");
    await settle();
    server.flush();
    expect(first.value).toBe("one");
    expect(server.memoryCacheBytes()).toBe(0);
    server.load("gate://x/a.txt");
    await settle();
    expect(gated.gate("gate://x/a.txt").ctx.knownVersion).toBeNull();
  });

  it("invalidate(uri) makes the next load read again", async () => {
    const { server, gated } = setup();
    server.load("gate://x/a.txt");
    await settle();
    gated.gate("gate://x/a.txt").release("one", "v1");
    await settle();
    server.flush();
    await server.invalidate("gate://x/a.txt");
    server.load("gate://x/a.txt");
    await settle();
    expect(gated.gate("gate://x/a.txt").ctx.knownVersion).toBeNull();
  });

  it("clearCaches() empties the memory caches", async () => {
    const { server } = setup();
    server.mem.set("a.txt", "one");
    server.load("mem://a.txt");
    await settle();
    server.flush();
    expect(server.memoryCacheBytes()).toBeGreaterThan(0);
    await server.clearCaches();
    expect(server.memoryCacheBytes()).toBe(0);
  });

  it("honours the byte budget of each loader's cache", async () => {
    const { server } = setup({ cacheBytes: 2500 });
    for (let i = 0; i < 10; i += 1) server.mem.set(`blob${i}.bin`, new Uint8Array(1000));
    for (let i = 0; i < 10; i += 1) server.load(`mem://blob${i}.bin`);
    await settle(10);
    server.flush();
    expect(server.memoryCacheBytes()).toBeLessThanOrEqual(2500);
    expect(server.memoryCacheBytes()).toBeGreaterThanOrEqual(2000);
  });
});

describe("loaders", () => {
  it("a registered loader claims its suffixes before the built-ins; others fall back to bytes", async () => {
    class CsvLoader extends Loader<string[][]> {
      readonly suffixes = [".csv"];
      parse(raw: Uint8Array) {
        return raw.length ? new TextDecoder().decode(raw).split("\n").map((line) => line.split(",")) : [];
      }
    }
    const { server } = setup();
    server.registerLoader(new CsvLoader());
    server.mem.set("items.CSV", "a,b\nc,d");
    server.mem.set("blob.xyz", new Uint8Array([1, 2, 3]));
    const csv = server.load("mem://items.CSV?v=2");
    const raw = server.load("mem://blob.xyz");
    await settle();
    server.flush();
    expect(csv.value).toEqual([["a", "b"], ["c", "d"]]);
    expect(raw.value).toEqual(new Uint8Array([1, 2, 3]));
  });

  it("an async parse is awaited", async () => {
    class SlowLoader extends Loader<string> {
      readonly suffixes = [".slow"];
      async parse(raw: Uint8Array) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        return `parsed ${raw.length}`;
      }
    }
    const { server } = setup();
    server.mem.set("x.slow", "abc");
    const handle = server.load("mem://x.slow", { loader: new SlowLoader() });
    await flushUntilDone(server, [handle]);
    expect(handle.value).toBe("parsed 3");
  });
});

describe("integrity", () => {
  it("fails with INTEGRITY when the bytes do not match, and caches nothing", async () => {
    const { server } = setup();
    server.mem.set("a.txt", "hello");
    const handle = server.load("mem://a.txt", { integrity: "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=" });
    await flushUntilDone(server, [handle]);
    expect(handle.error?.code).toBe("INTEGRITY");
    expect(server.memoryCacheBytes()).toBe(0);
  });

  it("loads when the bytes match", async () => {
    const { createHash } = await import("node:crypto");
    const { server } = setup();
    server.mem.set("a.txt", "hello");
    const integrity = `sha256-${createHash("sha256").update("hello").digest("base64")}`;
    const handle = server.load("mem://a.txt", { integrity });
    await flushUntilDone(server, [handle]);
    expect(handle.value).toBe("hello");
  });
});

describe("signals during flush", () => {
  it("a listener that throws stops neither the other listeners nor the flush", async () => {
    const errors: unknown[] = [];
    const { server } = setup({ onError: (error) => errors.push(error) });
    server.mem.set("a", "1");
    server.mem.set("b", "2");
    const a = server.load("mem://a");
    const b = server.load("mem://b");
    const after = vi.fn();
    a.completed.connect(() => {
      throw new Error("boom");
    });
    a.completed.connect(after);
    await settle();
    expect(server.flush()).toBe(2);
    expect(after).toHaveBeenCalledTimes(1);
    expect(b.state).toBe("loaded");
    expect(errors).toHaveLength(1);
  });
});

describe("dispose", () => {
  it("cancels what is in flight", async () => {
    const { server, gated } = setup();
    const handle = server.load("gate://x/a.bin");
    await settle();
    server.dispose();
    expect(gated.started[0]!.ctx.signal.aborted).toBe(true);
    server.flush();
    expect(handle.state).toBe("cancelled");
  });
});

describe("instance", () => {
  it("is created lazily and shared", () => {
    const first = AssetServer.instance();
    expect(AssetServer.instance()).toBe(first);
    first.dispose();
    expect(AssetServer.instance()).not.toBe(first);
    AssetServer.instance().dispose();
  });
});

describe("stall watchdog", () => {
  it("fails a read that reports nothing for stallTimeoutMs (and a grace) with TIMEOUT, for any source", async () => {
    const clock = new ManualClock();
    const { server, gated } = setup({ clock, stallTimeoutMs: 30, timeoutMs: 0 });
    const handle = server.load("gate://x/hung.bin");
    await settle();
    const gate = gated.gate("gate://x/hung.bin");
    clock.advance(29 + stallGraceMs(30));
    expect(gate.ctx.signal.aborted).toBe(false);
    clock.advance(1);
    await settle();
    server.flush();
    expect(handle.error?.code).toBe("TIMEOUT");
    expect(gate.ctx.signal.aborted).toBe(true);
    expect(server.pending()).toEqual([]);
  });

  it("progress keeps a slow read alive", async () => {
    const clock = new ManualClock();
    const { server, gated } = setup({ clock, stallTimeoutMs: 40, timeoutMs: 0 });
    const handle = server.load("gate://x/slow.bin");
    await settle();
    const gate = gated.gate("gate://x/slow.bin");
    for (let loaded = 10; loaded <= 60; loaded += 10) {
      clock.advance(40 + stallGraceMs(40) - 1);
      gate.progress(loaded, 100);
    }
    gate.release(new Uint8Array(100));
    await settle();
    server.flush();
    expect(handle.state).toBe("loaded");
  });

  it("a retry announced with a wait extends the watchdog by that wait", async () => {
    const clock = new ManualClock();
    const { server, gated } = setup({ clock, stallTimeoutMs: 30, timeoutMs: 0 });
    const handle = server.load("gate://x/retried.bin");
    await settle();
    const gate = gated.gate("gate://x/retried.bin");
    gate.ctx.onRetry?.(1, 100, new AssetError("HTTP", "gate://x/retried.bin", { status: 429 }));
    clock.advance(30 + stallGraceMs(30) + 99);
    expect(gate.ctx.signal.aborted).toBe(false);
    gate.release("ok");
    await settle();
    server.flush();
    expect(handle.state).toBe("loaded");
  });
});

describe("retrying and stats", () => {
  it("emits retrying from flush when a source announces a retry", async () => {
    const { server, gated } = setup();
    const seen: Array<[string, number, number, string]> = [];
    server.retrying.connect((event) => seen.push([event.uri, event.attempt, event.delayMs, event.error.code]));
    server.load("gate://x/flaky.bin");
    await settle();
    gated.gate("gate://x/flaky.bin").ctx.onRetry?.(1, 250, new AssetError("HTTP", "gate://x/flaky.bin", { status: 503 }));
    expect(seen).toEqual([]);
    server.flush();
    expect(seen).toEqual([["gate://x/flaky.bin", 1, 250, "HTTP"]]);
  });

  it("stats() counts where loads were served from and the bytes that came new", async () => {
    const { server } = setup();
    server.mem.set("a.bin", new Uint8Array(10));
    server.load("mem://a.bin");
    server.load("mem://a.bin");
    await settle();
    server.flush();
    server.load("mem://a.bin");
    await settle();
    server.flush();
    const stats = server.stats();
    expect(stats.servedFrom).toMatchObject({ network: 2, memory: 1 });
    expect(stats.networkReads).toBe(1);
    expect(stats.networkBytes).toBe(10);
    expect(stats.inFlight).toBe(0);
    expect(stats.memoryCacheBytes).toBe(server.memoryCacheBytes());
  });
});

describe("flush budget", () => {
  it("flush(budgetMs) stops when the budget is spent and the next flushes finish the rest in order", async () => {
    let time = 0;
    // Every reading of this clock spends a millisecond; its timers run (reads start in time slices).
    const clock = { now: () => (time += 1), setTimeout: (fn: () => void) => setTimeout(fn, 0), clearTimeout: (id: unknown) => clearTimeout(id as ReturnType<typeof setTimeout>) };
    const { server } = setup({ clock, timeoutMs: 0, stallTimeoutMs: 0 });
    for (let i = 0; i < 100; i += 1) server.mem.set(`k${i}.txt`, String(i));
    const handles = Array.from({ length: 100 }, (_, i) => server.load<string>(`mem://k${i}.txt`));
    const order: string[] = [];
    for (const handle of handles) handle.completed.connect((done) => order.push(done.value!));
    await settle(60);
    const first = server.flush(5);
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThan(100);
    let total = first;
    for (let round = 0; round < 100 && total < 100; round += 1) total += server.flush(5);
    expect(total).toBe(100);
    expect(order).toEqual(handles.map((_, i) => String(i)));
  });

  it("flush() without a budget applies everything at once", async () => {
    let time = 0;
    // Every reading of this clock spends a second, so reads start one per time slice: its timers run.
    const clock = { now: () => (time += 1000), setTimeout: (fn: () => void) => setTimeout(fn, 0), clearTimeout: (id: unknown) => clearTimeout(id as ReturnType<typeof setTimeout>) };
    const { server } = setup({ clock, timeoutMs: 0, stallTimeoutMs: 0 });
    for (let i = 0; i < 50; i += 1) server.mem.set(`k${i}.txt`, String(i));
    for (let i = 0; i < 50; i += 1) server.load(`mem://k${i}`);
    await settle(60);
    expect(server.flush()).toBe(50);
  });
});
