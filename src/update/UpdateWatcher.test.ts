import { describe, expect, it } from "vitest";
import { AssetError } from "../kernel/AssetError.js";
import { ManualClock } from "../../test/support/core/ManualClock.js";
import type { UpdateBroadcast } from "../kernel/protocol.js";
import type { PkgIndex } from "../kernel/PkgIndex.js";
import { type BuildIndex, parseBuildIndex } from "./BuildIndex.js";
import type { UpdateInfo } from "../kernel/UpdateInfo.js";
import { CHECK_TIMEOUT_MS, UpdateWatcher } from "./UpdateWatcher.js";

const INDEX_URL = "https://game.example/simvx-assets/pkg-index.json";
const MINUTE = 60_000;

function buildIndex(build: string | undefined, greeting: string): BuildIndex {
  const json: PkgIndex = {
    version: 1,
    packages: { game: { files: { "greeting.txt": { url: `../assets/greeting-${greeting}.txt`, size: 10, sha256: greeting.repeat(64), immutable: true } } } },
    ...(build === undefined ? {} : { build, shell: [] }),
  };
  return parseBuildIndex(json, INDEX_URL, 100);
}

/** A watcher over a fake server whose index the test swaps; signals are delivered by `flush()`. */
function setUp(options: { running?: BuildIndex; checkEveryMs?: number } = {}) {
  const clock = new ManualClock();
  // What the page runs (its worker's precache), and what the server has now (the deploy swaps it).
  const running = options.running ?? buildIndex("one", "a");
  const server = { index: running, fail: null as AssetError | null, hang: false };
  const requests = { running: 0, latest: 0 };
  const queued: Array<() => void> = [];
  const visible = new Set<() => void>();
  const posted: UpdateBroadcast[] = [];
  let hear: ((message: UpdateBroadcast) => void) | null = null;
  const held: string[] = [];
  const watcher = new UpdateWatcher({
    indexUrl: INDEX_URL,
    clock,
    checkEveryMs: options.checkEveryMs ?? 10 * MINUTE,
    fetchIndex(which, signal) {
      requests[which] += 1;
      if (server.hang) return new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason)));
      if (which === "running") return Promise.resolve(running);
      return server.fail ? Promise.reject(server.fail) : Promise.resolve(server.index);
    },
    deliver: (emit) => queued.push(emit),
    onVisible(listener) {
      visible.add(listener);
      return () => visible.delete(listener);
    },
    openChannel(listener) {
      hear = listener;
      return { post: (message) => posted.push(message), close: () => (hear = null) };
    },
    holdRunning(build) {
      held.push(build);
      return () => held.splice(held.indexOf(build), 1);
    },
  });
  const seen = { available: [] as UpdateInfo[], ready: [] as UpdateInfo[] };
  watcher.available.connect((info) => seen.available.push(info));
  watcher.ready.connect((info) => seen.ready.push(info));
  return {
    clock,
    server,
    requests,
    watcher,
    seen,
    posted,
    held,
    flush: () => queued.splice(0).forEach((emit) => emit()),
    becomeVisible: () => [...visible].forEach((listener) => listener()),
    hear: (message: UpdateBroadcast) => hear?.(message),
  };
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

describe("UpdateWatcher: when it checks", () => {
  it("checks once when started, then when the page becomes visible again only once updateCheckMs have passed", async () => {
    const t = setUp({ checkEveryMs: 10 * MINUTE });
    t.watcher.start();
    await settle();
    expect(t.requests).toEqual({ running: 1, latest: 1 });
    t.clock.advance(9 * MINUTE);
    t.becomeVisible();
    await settle();
    expect(t.requests.latest).toBe(1);
    t.clock.advance(MINUTE);
    t.becomeVisible();
    await settle();
    expect(t.requests.latest).toBe(2);
    t.becomeVisible();
    await settle();
    expect(t.requests.latest).toBe(2);
  });

  it("checks whenever check() is called, and calls made together share one request", async () => {
    const t = setUp();
    const [a, b] = await Promise.all([t.watcher.check(), t.watcher.check()]);
    expect(a).toBeNull();
    expect(b).toBeNull();
    expect(t.requests).toEqual({ running: 1, latest: 1 });
    await t.watcher.check();
    expect(t.requests).toEqual({ running: 1, latest: 2 });
  });

  it("an explicit check counts: the page becoming visible right after does not check again", async () => {
    const t = setUp();
    t.watcher.start();
    await settle();
    t.clock.advance(11 * MINUTE);
    await t.watcher.check();
    t.becomeVisible();
    await settle();
    expect(t.requests.latest).toBe(2);
  });

  it("stops listening when disposed", async () => {
    const t = setUp({ checkEveryMs: 0 });
    t.watcher.start();
    await settle();
    t.watcher.dispose();
    t.becomeVisible();
    await settle();
    expect(t.requests.latest).toBe(1);
    expect(t.held).toEqual([]);
  });
});

describe("UpdateWatcher: what it announces", () => {
  it("announces a new build once, from flush, with what changed, and tells the other tabs", async () => {
    const t = setUp();
    t.watcher.start();
    await settle();
    t.server.index = buildIndex("two", "b");
    const info = await t.watcher.check();
    expect(info).toEqual({ build: "two", changed: ["pkg://game/greeting.txt"], added: [], removed: [], bytes: 110 });
    expect(t.seen.available).toEqual([]);
    t.flush();
    expect(t.seen.available).toEqual([info]);
    await t.watcher.check();
    t.flush();
    expect(t.seen.available).toHaveLength(1);
    expect(t.posted.map((message) => [message.type, message.build])).toEqual([["simvx-assets:update-available", "two"]]);
  });

  it("the server's index being the running build is no update", async () => {
    const t = setUp();
    expect(await t.watcher.check()).toBeNull();
    t.flush();
    expect(t.seen.available).toEqual([]);
  });

  it("in dev (an index without a build) there are no updates, and it never asks past the worker", async () => {
    const t = setUp({ running: buildIndex(undefined, "a") });
    t.watcher.start();
    await settle();
    expect(await t.watcher.check()).toBeNull();
    expect(t.requests.latest).toBe(0);
    expect(t.held).toEqual([]);
  });

  it("holds the running build once it is known", async () => {
    const t = setUp();
    await t.watcher.check();
    await t.watcher.check();
    expect(t.held).toEqual(["one"]);
  });

  it("a failed check rejects with its error and announces nothing; an automatic one fails quietly", async () => {
    const t = setUp();
    t.server.fail = new AssetError("OFFLINE", INDEX_URL);
    t.watcher.start();
    await settle();
    await expect(t.watcher.check()).rejects.toMatchObject({ code: "OFFLINE" });
    t.flush();
    expect(t.seen.available).toEqual([]);
    t.server.fail = null;
    t.server.index = buildIndex("two", "b");
    expect(await t.watcher.check()).toMatchObject({ build: "two" });
  });

  it("a check that never answers fails with TIMEOUT after CHECK_TIMEOUT_MS", async () => {
    const t = setUp();
    t.server.hang = true;
    const check = t.watcher.check();
    await settle();
    t.clock.advance(CHECK_TIMEOUT_MS);
    await expect(check).rejects.toMatchObject({ code: "TIMEOUT", uri: INDEX_URL });
  });

  it("hears of a build another tab found without a request, and of it being ready", async () => {
    const t = setUp();
    t.watcher.start();
    await settle();
    const other = buildIndex("two", "b");
    t.hear({ type: "simvx-assets:update-available", build: "two", index: other.json, indexBytes: 100 });
    await settle();
    t.flush();
    expect(t.seen.available.map((info) => info.build)).toEqual(["two"]);
    t.hear({ type: "simvx-assets:update-ready", build: "two", index: other.json, indexBytes: 100 });
    t.hear({ type: "simvx-assets:update-ready", build: "two", index: other.json, indexBytes: 100 });
    await settle();
    t.flush();
    expect(t.seen.ready.map((info) => info.build)).toEqual(["two"]);
    expect(t.requests.latest).toBe(1);
    // What it heard it does not repeat to the others.
    expect(t.posted).toEqual([]);
  });

  it("ignores a broadcast whose index is malformed or names another build", async () => {
    const t = setUp();
    t.watcher.start();
    await settle();
    t.hear({ type: "simvx-assets:update-available", build: "two", index: { version: 1 }, indexBytes: 1 });
    t.hear({ type: "simvx-assets:update-available", build: "three", index: buildIndex("two", "b").json, indexBytes: 1 });
    await settle();
    t.flush();
    expect(t.seen.available).toEqual([]);
  });

  it("applied() announces ready once (after available) and tells the other tabs", async () => {
    const t = setUp();
    t.watcher.start();
    await settle();
    t.server.index = buildIndex("two", "b");
    await t.watcher.check();
    const target = await t.watcher.target();
    expect(target?.latest.build).toBe("two");
    t.watcher.applied(target!.latest);
    t.watcher.applied(target!.latest);
    t.flush();
    expect(t.seen.available).toHaveLength(1);
    expect(t.seen.ready).toEqual(t.seen.available);
    expect(t.posted.map((message) => message.type)).toEqual(["simvx-assets:update-available", "simvx-assets:update-ready"]);
  });
});
