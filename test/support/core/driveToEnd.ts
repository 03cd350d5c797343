import type { AssetServer } from "../../../src/core/AssetServer.js";
import type { LoadWatcher } from "./LoadWatcher.js";
import type { ManualClock } from "./ManualClock.js";

export interface DriveOptions {
  /** Clock jumps allowed (each past every watchdog) before giving up. */
  maxSteps?: number;
  /** How far each jump moves the clock. */
  jumpMs?: number;
  /** Flushes without any change before the clock jumps. */
  idleFlushes?: number;
  /**
   * Real time to wait before each idle flush. Tests with real I/O (files, sockets) need some: on a
   * busy machine a read can take longer than a few event-loop turns, and jumping the clock then
   * would time out a load that was about to finish.
   */
  idleWaitMs?: number;
  /** Upper bound on flushes in all, so a livelock fails the test instead of hanging it. */
  maxFlushes?: number;
}

export interface DriveReport {
  flushes: number;
  jumps: number;
}

/**
 * Flushes like a game loop would, one event-loop turn per flush. While loads keep finishing it only
 * flushes; when nothing has changed for a few flushes it moves the manual clock past the
 * watchdogs. Ends once the server has nothing pending and a last flush has applied everything.
 */
export async function driveToEnd(server: AssetServer, clock: ManualClock, watcher: LoadWatcher, options: DriveOptions = {}): Promise<DriveReport> {
  const { maxSteps = 8, jumpMs = 60_000, idleFlushes = 4, maxFlushes = 5_000, idleWaitMs = 0 } = options;
  const report: DriveReport = { flushes: 0, jumps: 0 };
  let idle = 0;
  const flushOnce = async (): Promise<number> => {
    await new Promise((resolve) => setTimeout(resolve, idle > 0 ? idleWaitMs : 0));
    report.flushes += 1;
    const finished = server.flush();
    watcher.afterFlush();
    return finished;
  };
  let lastPending = -1;
  while (report.flushes < maxFlushes) {
    const finished = await flushOnce();
    const pending = server.pending().length;
    if (pending === 0) {
      // More rounds for what finished during the last one (a failFast batch cancels its rest in one
      // flush; they end in the next).
      await flushOnce();
      await flushOnce();
      return report;
    }
    idle = finished > 0 || pending !== lastPending ? 0 : idle + 1;
    lastPending = pending;
    if (idle >= idleFlushes) {
      if (report.jumps >= maxSteps) return report;
      clock.advance(jumpMs);
      report.jumps += 1;
      idle = 0;
    }
  }
  return report;
}
