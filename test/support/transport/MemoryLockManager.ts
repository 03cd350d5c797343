type Callback = (lock: Lock | null) => unknown;

interface Waiter {
  owner: string;
  name: string;
  callback: Callback;
  resolve(value: unknown): void;
  reject(reason: unknown): void;
  signal: AbortSignal | undefined;
}

/**
 * Exclusive Web Locks for Node tests (Node 20 has no `navigator.locks`), with owners: `drop(owner)`
 * releases every lock an owner holds without its callback settling, as a stopped service worker's
 * locks are released by the browser.
 */
export class MemoryLockManager {
  readonly #queues = new Map<string, Waiter[]>();
  readonly #dropped = new Set<string>();
  /** Names of locks requested so far, in order. */
  readonly requested: string[] = [];

  /** A `LockManager` whose locks belong to `owner`. */
  forOwner(owner: string): LockManager {
    const request = (name: string, optionsOrCallback: LockOptions | Callback, maybeCallback?: Callback): Promise<unknown> => {
      const options = typeof optionsOrCallback === "function" ? {} : optionsOrCallback;
      const callback = typeof optionsOrCallback === "function" ? optionsOrCallback : maybeCallback!;
      return this.#request(owner, name, options, callback);
    };
    return { request, query: () => Promise.resolve({ held: [], pending: [] }) } as unknown as LockManager;
  }

  /** Releases what `owner` holds and forgets what it waits for, as if its context were gone. */
  drop(owner: string): void {
    this.#dropped.add(owner);
    for (const [name, queue] of this.#queues) {
      const head = queue[0];
      const kept = queue.filter((waiter) => waiter.owner !== owner);
      this.#queues.set(name, kept);
      if (head !== undefined && head.owner === owner) this.#grantHead(name);
    }
  }

  /** Whether someone holds `name` now. */
  isHeld(name: string): boolean {
    return (this.#queues.get(name)?.length ?? 0) > 0;
  }

  #request(owner: string, name: string, options: LockOptions, callback: Callback): Promise<unknown> {
    this.requested.push(name);
    return new Promise((resolve, reject) => {
      if (this.#dropped.has(owner)) return; // a dead context's calls never settle
      if (options.signal?.aborted) return reject(new DOMException("aborted", "AbortError"));
      const waiter: Waiter = { owner, name, callback, resolve, reject, signal: options.signal };
      const queue = this.#queues.get(name) ?? [];
      queue.push(waiter);
      this.#queues.set(name, queue);
      options.signal?.addEventListener("abort", () => {
        const current = this.#queues.get(name) ?? [];
        const index = current.indexOf(waiter);
        // Only a request still waiting can be withdrawn; a granted one runs to its end.
        if (index > 0) {
          current.splice(index, 1);
          reject(new DOMException("aborted", "AbortError"));
        }
      });
      if (queue.length === 1) this.#grantHead(name);
    });
  }

  #grantHead(name: string): void {
    const waiter = this.#queues.get(name)?.[0];
    if (waiter === undefined) return;
    const lock = { name, mode: "exclusive" } as Lock;
    Promise.resolve()
      .then(() => waiter.callback(lock))
      .then(
        (value) => this.#release(waiter, () => waiter.resolve(value)),
        (error: unknown) => this.#release(waiter, () => waiter.reject(error)),
      );
  }

  #release(waiter: Waiter, settle: () => void): void {
    const queue = this.#queues.get(waiter.name) ?? [];
    if (queue[0] !== waiter) return; // dropped meanwhile: its owner is gone
    queue.shift();
    settle();
    this.#grantHead(waiter.name);
  }
}
