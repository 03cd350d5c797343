import type { Clock } from "./Clock.js";

/** Something that waits for a read slot. */
export interface QueuedRead {
  priority: number;
  /** Starts the read; the promise settles when the slot is free again. */
  start(): Promise<void>;
  /** False once the read no longer needs a slot (all its handles left before it started). */
  readonly wantsSlot: boolean;
  /** Whether it waits for one of the `maxRunning` slots; a read that is not gated starts as soon as the queue gets to it. */
  readonly gated: boolean;
}

interface Entry {
  read: QueuedRead;
  priority: number;
  sequence: number;
}

/**
 * Starting reads stops after this long and goes on in a later task, so a batch of thousands never
 * costs one long task (a frame) where it starts: issue 10 measured 114 ms for 1,000 loads on a
 * freshly loaded page. Reads not started yet are `queued`, so cancel, `pending()` and `dispose()`
 * already know what to do with them.
 */
export const START_SLICE_MS = 6;

/** A binary heap of entries: higher priority first, then FIFO. */
class EntryHeap {
  private readonly items: Entry[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): Entry | undefined {
    return this.items[0];
  }

  push(entry: Entry): void {
    const heap = this.items;
    heap.push(entry);
    let index = heap.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!before(heap[index]!, heap[parent]!)) break;
      [heap[index], heap[parent]] = [heap[parent]!, heap[index]!];
      index = parent;
    }
  }

  pop(): Entry | undefined {
    const heap = this.items;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined) return undefined;
    if (heap.length > 0) {
      heap[0] = last;
      let index = 0;
      for (;;) {
        const left = index * 2 + 1;
        const right = left + 1;
        let best = index;
        if (left < heap.length && before(heap[left]!, heap[best]!)) best = left;
        if (right < heap.length && before(heap[right]!, heap[best]!)) best = right;
        if (best === index) break;
        [heap[index], heap[best]] = [heap[best]!, heap[index]!];
        index = best;
      }
    }
    return top;
  }
}

function before(a: Entry, b: Entry): boolean {
  return a.priority !== b.priority ? a.priority > b.priority : a.sequence < b.sequence;
}

/**
 * Starts reads in priority order (higher first, then FIFO). Gated reads run at most `maxRunning`
 * at once; the others (HTTP, which the worker and the browser schedule) start as soon as their
 * turn comes. Starting is time-sliced (`START_SLICE_MS`).
 */
export class ReadQueue {
  private readonly gatedReads = new EntryHeap();
  private readonly freeReads = new EntryHeap();
  private running = 0;
  private sequence = 0;
  private resumeScheduled = false;
  /** When the current start slice ends (`clock.now()` time), or null outside one. */
  private sliceEnd: number | null = null;

  constructor(
    private readonly maxRunning: number,
    private readonly clock: Clock,
  ) {}

  enqueue(read: QueuedRead): void {
    this.pushEntry(read);
    this.pump();
  }

  /** Call after raising `read.priority` while it waits; the stale entry is skipped later. */
  reprioritize(read: QueuedRead): void {
    this.pushEntry(read);
  }

  private pushEntry(read: QueuedRead): void {
    const entry = { read, priority: read.priority, sequence: this.sequence++ };
    (read.gated ? this.gatedReads : this.freeReads).push(entry);
  }

  private pump(): void {
    if (this.resumeScheduled) return;
    // One slice spans every enqueue of the current task (loadGroup enqueues its loads one by one);
    // it ends with the task's microtasks, or when it has run for START_SLICE_MS. A new slice always
    // starts at least one read, whatever the clock says.
    if (this.sliceEnd === null) {
      this.sliceEnd = this.clock.now() + START_SLICE_MS;
      queueMicrotask(() => (this.sliceEnd = null));
    } else if (this.clock.now() >= this.sliceEnd) {
      return this.resumeLater();
    }
    for (;;) {
      const entry = this.next();
      if (entry === undefined) return;
      if (!entry.read.wantsSlot || entry.priority !== entry.read.priority) continue;
      this.begin(entry.read);
      if (this.clock.now() >= this.sliceEnd && (this.freeReads.size > 0 || this.gatedReads.size > 0)) return this.resumeLater();
    }
  }

  private resumeLater(): void {
    this.resumeScheduled = true;
    this.clock.setTimeout(() => {
      this.resumeScheduled = false;
      this.sliceEnd = null;
      this.pump();
    }, 0);
  }

  /** The next entry to start: the higher-priority of the two heaps' tops, a gated one only while a slot is free. */
  private next(): Entry | undefined {
    const gated = this.running < this.maxRunning ? this.gatedReads.peek() : undefined;
    const free = this.freeReads.peek();
    if (gated === undefined && free === undefined) return undefined;
    if (gated !== undefined && (free === undefined || before(gated, free))) return this.gatedReads.pop();
    return this.freeReads.pop();
  }

  private begin(read: QueuedRead): void {
    if (!read.gated) {
      void read.start();
      return;
    }
    this.running += 1;
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      this.running -= 1;
      this.pump();
    };
    read.start().then(release, release);
  }
}
