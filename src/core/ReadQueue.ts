/** Something that waits for a read slot. */
export interface QueuedRead {
  priority: number;
  /** Starts the read; the promise settles when the slot is free again. */
  start(): Promise<void>;
  /** False once the read no longer needs a slot (all its handles left before it started). */
  readonly wantsSlot: boolean;
  /** Whether it waits for one of the `maxRunning` slots; one that is not gated starts at once. */
  readonly gated: boolean;
}

interface Entry {
  read: QueuedRead;
  priority: number;
  sequence: number;
}

/**
 * At most `maxRunning` gated reads at once; the rest start in priority order (higher first, then
 * FIFO). Reads that are not gated (HTTP, which the worker and the browser schedule) start at once.
 */
export class ReadQueue {
  private readonly heap: Entry[] = [];
  private running = 0;
  private sequence = 0;

  constructor(private readonly maxRunning: number) {}

  enqueue(read: QueuedRead): void {
    if (!read.gated) {
      void read.start();
      return;
    }
    this.pushEntry({ read, priority: read.priority, sequence: this.sequence++ });
    this.pump();
  }

  /** Call after raising `read.priority` while it waits; the stale entry is skipped later. */
  reprioritize(read: QueuedRead): void {
    this.pushEntry({ read, priority: read.priority, sequence: this.sequence++ });
  }

  private pump(): void {
    while (this.running < this.maxRunning && this.heap.length > 0) {
      const entry = this.popEntry();
      if (!entry.read.wantsSlot || entry.priority !== entry.read.priority) continue;
      this.running += 1;
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        this.running -= 1;
        this.pump();
      };
      entry.read.start().then(release, release);
    }
  }

  private before(a: Entry, b: Entry): boolean {
    return a.priority !== b.priority ? a.priority > b.priority : a.sequence < b.sequence;
  }

  private pushEntry(entry: Entry): void {
    const heap = this.heap;
    heap.push(entry);
    let index = heap.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!this.before(heap[index]!, heap[parent]!)) break;
      [heap[index], heap[parent]] = [heap[parent]!, heap[index]!];
      index = parent;
    }
  }

  private popEntry(): Entry {
    const heap = this.heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let index = 0;
      for (;;) {
        const left = index * 2 + 1;
        const right = left + 1;
        let best = index;
        if (left < heap.length && this.before(heap[left]!, heap[best]!)) best = left;
        if (right < heap.length && this.before(heap[right]!, heap[best]!)) best = right;
        if (best === index) break;
        [heap[index], heap[best]] = [heap[best]!, heap[index]!];
        index = best;
      }
    }
    return top;
  }
}
