import type { Clock } from "./Clock.js";

/**
 * Setting up a load (parsing its uri, finding its source and loader, joining or creating its read,
 * starting it) stops after this long in one task and goes on in the next: issue 10 measured 50 to
 * 90 ms for a 1,000-asset `loadGroup` on a freshly loaded page, one long frame.
 */
export const START_SLICE_MS = 6;

/**
 * A rest of at most an eighth of what a slice ran goes in that slice (at most an eighth more
 * time). Left for a task of its own, the last 16 of 1,000 loads once reached the worker after the
 * others' store reads had been queued, and were answered 20 ms after them (issue 15's revalidation).
 */
const SMALL_REST_RATIO = 8;

/**
 * Runs work in call order, at most `sliceMs` of it per task: what does not fit goes on in a later
 * task (`clock.setTimeout(…, 0)`). One slice spans every call made within one task, so a loop of
 * `load()` calls is sliced like one `loadGroup`. A slice always runs at least one item, whatever
 * the clock says. Items must not throw; one that does is skipped, the rest still run.
 */
export class TaskSlicer {
  readonly #clock: Clock;
  readonly #sliceMs: number;
  #queue: Array<() => void> = [];
  #sliceEnd: number | null = null;
  #resumeScheduled = false;

  constructor(clock: Clock, sliceMs = START_SLICE_MS) {
    this.#clock = clock;
    this.#sliceMs = sliceMs;
  }

  /** How many items wait for a later task. */
  get waiting(): number {
    return this.#queue.length;
  }

  /**
   * Opens the current task's slice now (if none is open), so that what the caller does before its
   * first `run` counts against it: `loadGroup` creating a thousand handles has spent its slice.
   */
  claim(): void {
    if (this.#sliceEnd === null && !this.#resumeScheduled) this.#openSlice();
  }

  run(work: () => void): void {
    if (this.#queue.length > 0 || this.#resumeScheduled) {
      this.#queue.push(work);
      return;
    }
    if (this.#sliceEnd === null) this.#openSlice();
    else if (this.#clock.now() >= this.#sliceEnd) {
      this.#queue.push(work);
      this.#resumeLater();
      return;
    }
    runSafely(work);
  }

  #openSlice(): void {
    this.#sliceEnd = this.#clock.now() + this.#sliceMs;
    // The slice ends with the task that opened it.
    queueMicrotask(() => {
      if (!this.#resumeScheduled) this.#sliceEnd = null;
    });
  }

  #resumeLater(): void {
    this.#resumeScheduled = true;
    this.#clock.setTimeout(() => {
      this.#resumeScheduled = false;
      this.#openSlice();
      let ran = 0;
      do {
        runSafely(this.#queue.shift()!);
        ran += 1;
      } while (this.#queue.length > 0 && (this.#clock.now() < this.#sliceEnd! || this.#queue.length * SMALL_REST_RATIO <= ran));
      if (this.#queue.length > 0) this.#resumeLater();
    }, 0);
  }
}

function runSafely(work: () => void): void {
  try {
    work();
  } catch {
    // The caller's items handle their own failures; one that throws must not stop the others.
  }
}
