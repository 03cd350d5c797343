import { describe, expect, it } from "vitest";
import { MemoryLockManager } from "../../test/support/transport/MemoryLockManager.js";
import { type LivenessEnd, WorkerLiveness } from "./WorkerLiveness.js";

// Generous against each other, so a loaded machine's late timers cannot turn one case into another.
const TIMINGS = { acceptTimeoutMs: 200, heartbeatTimeoutMs: 400, lossGraceMs: 30 };
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function watcher(locks: LockManager | null) {
  const ends: LivenessEnd[] = [];
  const liveness = new WorkerLiveness(TIMINGS, locks, (end) => ends.push(end));
  return { ends, liveness };
}

/** Plays the worker's side: takes `name` (granted by the time this resolves) until `release()`. */
async function workerHolds(locks: MemoryLockManager, name: string) {
  let release = (): void => undefined;
  const granted = new Promise<void>((taken) => {
    void locks.forOwner("worker").request(name, () => new Promise<void>((resolve) => ((release = resolve), taken())));
  });
  await granted;
  return { release: () => release() };
}

describe("WorkerLiveness", () => {
  it("a worker that never takes the call is unreachable after the accept timeout", async () => {
    const { ends, liveness } = watcher(new MemoryLockManager().forOwner("page"));
    liveness.start();
    await sleep(TIMINGS.acceptTimeoutMs + 50);
    expect(ends).toEqual([{ kind: "unreachable", reason: expect.stringContaining("did not take the call") }]);
  });

  it("with a lock: a worker that dies is noticed as soon as its lock is free (after the grace)", async () => {
    const locks = new MemoryLockManager();
    const { ends, liveness } = watcher(locks.forOwner("page"));
    await workerHolds(locks, "call-1");
    liveness.start();
    liveness.heard({ type: "simvx-assets:accepted", lock: "call-1" });
    await sleep(TIMINGS.heartbeatTimeoutMs * 2);
    // Silence alone means nothing while the lock is held: a long download sends no ticks.
    expect(ends).toEqual([]);
    locks.drop("worker");
    await expect.poll(() => ends.length).toBe(1);
    expect(ends[0]).toMatchObject({ kind: "lost", reason: expect.stringContaining("released the call's lock") });
  });

  it("with a lock: a call answered just after the lock is granted is not lost", async () => {
    const locks = new MemoryLockManager();
    const { ends, liveness } = watcher(locks.forOwner("page"));
    const worker = await workerHolds(locks, "call-2");
    liveness.start();
    liveness.heard({ type: "simvx-assets:accepted", lock: "call-2" });
    worker.release();
    // The answer crosses on the port a moment after the lock was granted.
    await sleep(5);
    liveness.finish();
    await sleep(TIMINGS.lossGraceMs * 2);
    expect(ends).toEqual([]);
  });

  it("finish withdraws the page's request for the lock", async () => {
    const locks = new MemoryLockManager();
    const { liveness } = watcher(locks.forOwner("page"));
    const worker = await workerHolds(locks, "call-3");
    liveness.heard({ type: "simvx-assets:accepted", lock: "call-3" });
    liveness.finish();
    worker.release();
    await sleep(5);
    expect(locks.isHeld("call-3")).toBe(false);
  });

  it("without locks: ticks keep the call alive and silence past the heartbeat timeout loses it", async () => {
    const { ends, liveness } = watcher(null);
    expect(liveness.wantsHeartbeat).toBe(true);
    liveness.start();
    liveness.heard({ type: "simvx-assets:accepted", lock: "ignored-without-locks" });
    for (let i = 0; i < 6; i += 1) {
      await sleep(TIMINGS.heartbeatTimeoutMs / 8);
      liveness.heard({ type: "simvx-assets:alive" });
    }
    expect(ends).toEqual([]);
    await sleep(TIMINGS.heartbeatTimeoutMs * 2);
    expect(ends).toEqual([{ kind: "lost", reason: expect.stringContaining("no word from the service worker") }]);
  });

  it("a worker without locks (accepted with lock null) is watched by ticks even when the page has locks", async () => {
    const { ends, liveness } = watcher(new MemoryLockManager().forOwner("page"));
    expect(liveness.wantsHeartbeat).toBe(false);
    liveness.heard({ type: "simvx-assets:accepted", lock: null });
    await sleep(TIMINGS.heartbeatTimeoutMs * 2);
    expect(ends).toMatchObject([{ kind: "lost" }]);
  });
});
