import { describe, expect, it } from "vitest";
import { AssetServer } from "./AssetServer.js";
import type { Clock } from "./Clock.js";
import { flushUntilDone, settle } from "../../test/support/core/GatedSource.js";

/** Real timers, and a time that moves 1 ms per reading: a batch's set-up takes several slices. */
function slowClock(): Clock {
  let time = 0;
  return {
    now: () => (time += 1),
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (id) => clearTimeout(id as ReturnType<typeof setTimeout>),
  };
}

function server(): AssetServer {
  return new AssetServer({ autoFlush: false, clock: slowClock(), timeoutMs: 0, stallTimeoutMs: 0 });
}

describe("AssetServer: a big batch is set up in time slices", () => {
  it("returns every handle at once, reports the ones not set up yet as queued, and loads them all", async () => {
    const assets = server();
    for (let i = 0; i < 200; i += 1) assets.mem.set(`k${i}.txt`, String(i));
    const batch = assets.loadGroup(Array.from({ length: 200 }, (_, i) => `mem://k${i}.txt`));
    expect(batch.total).toBe(200);
    // Only the first slice's loads were set up in the call; the rest wait, queued.
    expect(assets.pending().filter((load) => load.reason === "queued").length).toBeGreaterThan(150);
    await flushUntilDone(assets, batch.handles);
    expect(batch.handles.map((handle) => handle.value)).toEqual(Array.from({ length: 200 }, (_, i) => String(i)));
    expect(batch.handles[7]!.absoluteUri).toBe("mem://k7.txt");
  });

  it("a handle cancelled before its turn ends cancelled and is never read; dispose ends the rest", async () => {
    const assets = server();
    for (let i = 0; i < 100; i += 1) assets.mem.set(`k${i}.txt`, String(i));
    const batch = assets.loadGroup(Array.from({ length: 100 }, (_, i) => `mem://k${i}.txt`));
    const last = batch.handles[99]!;
    last.cancel();
    assets.dispose();
    await settle(20);
    assets.flush();
    expect(last.state).toBe("cancelled");
    expect(batch.handles.every((handle) => handle.isDone)).toBe(true);
    expect(batch.handles.filter((handle) => handle.state === "loaded").length).toBeLessThan(100);
  });

  it("options the caller changes after load() returns do not change the load", async () => {
    const assets = server();
    assets.mem.set("a.txt", "a");
    const handles = [];
    // Enough loads that the last ones are set up in a later task.
    for (let i = 0; i < 50; i += 1) assets.mem.set(`f${i}.txt`, "x");
    const options: { integrity?: string } = {};
    for (let i = 0; i < 50; i += 1) handles.push(assets.load(`mem://f${i}.txt`, options));
    handles.push(assets.load("mem://a.txt", options));
    options.integrity = "sha256-not-the-hash";
    await flushUntilDone(assets, handles);
    expect(handles.every((handle) => handle.state === "loaded")).toBe(true);
  });
});
