import type { LivenessReply } from "../kernel/protocol.js";

export interface LivenessTimings {
  /** Time the worker has to take a call at all (it may have to start up first). */
  acceptTimeoutMs: number;
  /** Without Web Locks: longest silence tolerated from a worker that took the call. */
  heartbeatTimeoutMs: number;
  /**
   * With Web Locks: how long after the lock is granted the page still waits for the worker's
   * last messages. The lock and the port are separate channels, so a worker that answered and then
   * released may be granted first; a dead worker's messages never come.
   */
  lossGraceMs: number;
}

export type LivenessEnd =
  /** The worker never took the call: no worker could be reached. */
  | { kind: "unreachable"; reason: string }
  /** The worker took the call and stopped before answering it: worth sending again. */
  | { kind: "lost"; reason: string };

/**
 * Tells the page, as soon as it can be known, that the worker running a call or batch is gone.
 * The worker names a Web Lock it holds for the call (`accepted`); the page asks for the same lock
 * and is granted it when the worker ends the call or dies. Without locks on either side the worker
 * sends `alive` ticks and silence means loss.
 */
export class WorkerLiveness {
  readonly #timings: LivenessTimings;
  readonly #locks: LockManager | null;
  readonly #onDead: (end: LivenessEnd) => void;
  readonly #withdraw = new AbortController();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #lastHeard = 0;
  #accepted = false;
  #over = false;

  constructor(timings: LivenessTimings, locks: LockManager | null, onDead: (end: LivenessEnd) => void) {
    this.#timings = timings;
    this.#locks = locks;
    this.#onDead = onDead;
  }

  /** Whether the page asks the worker for `alive` ticks (it has no locks to wait on). */
  get wantsHeartbeat(): boolean {
    return this.#locks === null;
  }

  /** Call when the wake message has been posted. */
  start(): void {
    this.#timer = setTimeout(() => this.#dead({ kind: "unreachable", reason: `the service worker did not take the call within ${this.#timings.acceptTimeoutMs} ms` }), this.#timings.acceptTimeoutMs);
  }

  /** Call for every message the worker posts on the call's port. */
  heard(data: unknown): void {
    if (this.#over) return;
    this.#lastHeard = Date.now();
    const reply = data as Partial<LivenessReply> | null;
    if (this.#accepted || reply?.type !== "simvx-assets:accepted") return;
    this.#accepted = true;
    clearTimeout(this.#timer);
    const lock = typeof reply.lock === "string" ? reply.lock : null;
    if (lock !== null && this.#locks !== null) this.#watchLock(this.#locks, lock);
    else this.#watchTicks();
  }

  /** The call is over (answered, cancelled, or given up): stop watching. */
  finish(): void {
    if (this.#over) return;
    this.#over = true;
    clearTimeout(this.#timer);
    this.#withdraw.abort();
  }

  #watchLock(locks: LockManager, name: string): void {
    const granted = (): void => {
      if (this.#over) return;
      this.#timer = setTimeout(() => this.#dead({ kind: "lost", reason: "the service worker stopped during the call (it released the call's lock without answering)" }), this.#timings.lossGraceMs);
    };
    // Withdrawn through the signal once the call is over, so no request lingers in the lock queue.
    locks.request(name, { signal: this.#withdraw.signal }, granted).catch(() => undefined);
  }

  #watchTicks(): void {
    const every = Math.max(10, this.#timings.heartbeatTimeoutMs / 4);
    const check = (): void => {
      if (this.#over) return;
      // Measured from the last message, which arrives as an event even in a hidden tab whose timers
      // are throttled: a late check sees the true silence, never a false one.
      const silence = Date.now() - this.#lastHeard;
      if (silence > this.#timings.heartbeatTimeoutMs) return this.#dead({ kind: "lost", reason: `no word from the service worker for ${silence} ms` });
      this.#timer = setTimeout(check, every);
    };
    this.#timer = setTimeout(check, every);
  }

  #dead(end: LivenessEnd): void {
    if (this.#over) return;
    this.finish();
    // On the page's performance timeline (DevTools, and the tests that time how fast a stop is noticed).
    globalThis.performance?.mark?.(`simvx-assets:worker-${end.kind}`, { detail: end.reason });
    this.#onDead(end);
  }
}
