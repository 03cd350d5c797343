import type { FrameHookSlot, FrameStats } from "./benchApi.js";

/** A frame longer than this missed more than one vsync at 60 Hz: below 30 frames per second. */
export const SLOW_FRAME_MS = 33.4;

interface MemoryInfo {
  usedJSHeapSize: number;
}

function usedHeapBytes(): number | null {
  // Chromium only; precise with --enable-precise-memory-info (the harness passes it).
  const memory = (performance as Performance & { memory?: MemoryInfo }).memory;
  return memory ? memory.usedJSHeapSize : null;
}

/**
 * A requestAnimationFrame loop standing in for a game: each frame it burns `workMs` of CPU, then
 * runs the peer's frame hook (ours: `flush()`), timing the hook when it finished something. It
 * records frame-to-frame intervals and the peak page heap.
 */
export class FrameLoop implements FrameHookSlot {
  readonly flushSamplesMs: number[] = [];
  flushMaxFinished = 0;
  #workMs: number;
  #hook: (() => number) | null = null;
  #handle = 0;
  #last: number | null = null;
  #stats: FrameStats = { frames: 0, worstFrameMs: 0, framesOver33: 0 };
  #peakHeap: number | null = usedHeapBytes();

  constructor(workMs: number) {
    this.#workMs = workMs;
  }

  set(hook: (() => number) | null): void {
    this.#hook = hook;
  }

  start(): void {
    const tick = (timestamp: number): void => {
      if (this.#last !== null) {
        const interval = timestamp - this.#last;
        this.#stats.frames++;
        this.#stats.worstFrameMs = Math.max(this.#stats.worstFrameMs, interval);
        if (interval > SLOW_FRAME_MS) this.#stats.framesOver33++;
      }
      this.#last = timestamp;
      const until = performance.now() + this.#workMs;
      while (performance.now() < until) {
        // Simulated game logic: the main thread is busy, as it would be.
      }
      if (this.#hook) {
        const started = performance.now();
        const finished = this.#hook();
        if (finished > 0) {
          this.flushSamplesMs.push(performance.now() - started);
          this.flushMaxFinished = Math.max(this.flushMaxFinished, finished);
        }
      }
      this.sampleHeap();
      this.#handle = requestAnimationFrame(tick);
    };
    this.#handle = requestAnimationFrame(tick);
  }

  stop(): void {
    cancelAnimationFrame(this.#handle);
  }

  sampleHeap(): void {
    const used = usedHeapBytes();
    if (used !== null) this.#peakHeap = Math.max(this.#peakHeap ?? 0, used);
  }

  get peakHeapBytes(): number | null {
    return this.#peakHeap;
  }

  /** The frame stats so far; starts a new count (the interval in progress carries over). */
  takeStats(): FrameStats {
    const stats = this.#stats;
    this.#stats = { frames: 0, worstFrameMs: 0, framesOver33: 0 };
    return stats;
  }

  /** Resolves after the next frame has been recorded. */
  nextFrame(): Promise<void> {
    return new Promise((resolve) => requestAnimationFrame(() => resolve()));
  }
}
