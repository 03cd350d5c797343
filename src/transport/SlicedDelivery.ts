/** How many answers reach their loads per task (each then parses in that task's microtasks). */
export const DELIVERIES_PER_TASK = 24;

/**
 * Hands the worker's answers to their loads a few per task. One message from the worker may carry
 * hundreds of answers; settled in one go, every load's parse (JSON, text) would run in the
 * microtasks of that one message task: a long frame. The next portion goes in a new task through a
 * MessageChannel, which, unlike a nested `setTimeout`, is not clamped to 4 ms.
 */
export class SlicedDelivery {
  readonly #perTask: number;
  #queue: Array<() => void> = [];
  #channel: MessageChannel | null = null;
  #scheduled = false;
  /** Deliveries made in the current task; reset at its microtask checkpoint. */
  #inThisTask = 0;

  constructor(perTask = DELIVERIES_PER_TASK) {
    this.#perTask = perTask;
  }

  deliver(settle: () => void): void {
    // The first portion goes in this very task: a batch of a few answers costs no extra task.
    if (this.#scheduled || this.#inThisTask >= this.#perTask) {
      this.#queue.push(settle);
      if (!this.#scheduled) this.#schedule();
      return;
    }
    this.#count();
    runSafely(settle);
  }

  #count(): void {
    if (this.#inThisTask === 0) queueMicrotask(() => (this.#inThisTask = 0));
    this.#inThisTask += 1;
  }

  #drain(): void {
    this.#scheduled = false;
    while (this.#queue.length > 0 && this.#inThisTask < this.#perTask) {
      this.#count();
      runSafely(this.#queue.shift()!);
    }
    if (this.#queue.length > 0) this.#schedule();
  }

  #schedule(): void {
    this.#scheduled = true;
    this.#nextTask();
  }

  #nextTask(): void {
    if (this.#channel === null) {
      this.#channel = new MessageChannel();
      this.#channel.port1.onmessage = () => this.#drain();
      // Node's MessagePort would keep the process alive while open.
      (this.#channel.port1 as { unref?: () => void }).unref?.();
    }
    this.#channel.port2.postMessage(null);
  }
}

function runSafely(settle: () => void): void {
  try {
    settle();
  } catch {
    // A caller's settle must not stop the others from being delivered.
  }
}
