import type { PeerPage, RunRequest, RunResult } from "./benchApi.js";
import { FrameLoop } from "./FrameLoop.js";

interface LongTaskWindow {
  totalMs: number;
  count: number;
}

function collectLongTasks(): (from: number, to: number) => LongTaskWindow {
  const entries: PerformanceEntry[] = [];
  try {
    new PerformanceObserver((list) => entries.push(...list.getEntries())).observe({ type: "longtask", buffered: true });
  } catch {
    // No Long Tasks API: the figure reads zero rather than failing the run.
  }
  return (from, to) => {
    let totalMs = 0;
    let count = 0;
    for (const entry of entries) {
      const start = Math.max(entry.startTime, from);
      const end = Math.min(entry.startTime + entry.duration, to);
      if (end > start) {
        totalMs += end - start;
        count++;
      }
    }
    return { totalMs, count };
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Exposes `window.bench` for the harness: `run` measures one load of the peer around its loader. */
export function installBench(peerId: string, peer: PeerPage): void {
  const longTasksBetween = collectLongTasks();
  const run = async (request: RunRequest): Promise<RunResult> => {
    // With --js-flags=--expose-gc, start each run from a collected heap so peaks compare.
    (window as Window & { gc?: () => void }).gc?.();
    const loop = new FrameLoop(request.gameLoop?.workMs ?? 0);
    loop.start();
    let idleFrames = null;
    if (request.gameLoop) {
      await sleep(request.gameLoop.idleMs);
      idleFrames = loop.takeStats();
    } else {
      await loop.nextFrame();
      loop.takeStats();
    }
    const started = performance.now();
    const outcome = await peer.load(request, loop);
    const wallMs = performance.now() - started;
    // The frame in which the last asset landed ends after this point; count it too.
    await loop.nextFrame();
    await loop.nextFrame();
    loop.stop();
    loop.sampleHeap();
    const longTasks = longTasksBetween(started, performance.now());
    return {
      ...outcome,
      wallMs,
      longTaskMs: longTasks.totalMs,
      longTaskCount: longTasks.count,
      frames: loop.takeStats(),
      idleFrames,
      peakHeapBytes: loop.peakHeapBytes,
      flushSamplesMs: loop.flushSamplesMs.length > 0 ? loop.flushSamplesMs : null,
      flushMaxFinished: loop.flushSamplesMs.length > 0 ? loop.flushMaxFinished : null,
      controlled: navigator.serviceWorker?.controller != null,
    };
  };
  window.bench = { peer: peerId, setup: () => peer.setup(), run };
}
