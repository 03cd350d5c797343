import type { BatchHandle } from "./BatchHandle.js";
import type { Handle, HandleOutcome } from "./Handle.js";

type Transition =
  | { kind: "started"; handle: Handle }
  | { kind: "finished"; handle: Handle; outcome: HandleOutcome<unknown> }
  | { kind: "resolved"; batch: BatchHandle; children: Handle[] }
  | { kind: "check"; batch: BatchHandle }
  | { kind: "notify"; emit: () => void };

/** Transitions applied between two looks at the clock (a look costs more than most transitions). */
const DEADLINE_CHECK_EVERY = 16;

/**
 * Work finished in the background waits here until `flush()` applies it on the caller's thread:
 * state changes and signals happen nowhere else.
 */
export class FlushQueue {
  private transitions: Transition[] = [];
  private progress = new Map<Handle, number>();
  private draining = false;

  constructor(
    private readonly onWork: () => void,
    private readonly batchOf: (handle: Handle) => BatchHandle | undefined,
  ) {}

  started(handle: Handle): void {
    this.push({ kind: "started", handle });
  }

  finished(handle: Handle, outcome: HandleOutcome<unknown>): void {
    this.push({ kind: "finished", handle, outcome });
  }

  /** A folder or manifest batch learnt its children. */
  resolved(batch: BatchHandle, children: Handle[]): void {
    this.push({ kind: "resolved", batch, children });
  }

  /** A batch may be complete already (an empty one). */
  check(batch: BatchHandle): void {
    this.push({ kind: "check", batch });
  }

  /** Something to tell listeners from the next flush, in order with the handles' transitions. */
  notify(emit: () => void): void {
    this.push({ kind: "notify", emit });
  }

  setProgress(handle: Handle, progress: number): void {
    if (progress > (this.progress.get(handle) ?? 0)) {
      this.progress.set(handle, progress);
      this.onWork();
    }
  }

  /** Applies everything queued before the call; returns how many handles it finished. */
  /**
   * With a `deadline` (a time from `now`), stops once it has passed and leaves the rest, in order,
   * for the next flush: thousands of completions landing at once then cost a few frames a little,
   * not one frame a lot.
   */
  drain(deadline?: { at: number; now: () => number }): number {
    if (this.draining) return 0; // a listener called flush(): the outer drain carries on
    this.draining = true;
    try {
      const progress = this.progress;
      const transitions = this.transitions;
      this.progress = new Map();
      this.transitions = [];
      for (const [handle, value] of progress) handle.applyProgress(value);
      let finished = 0;
      let index = 0;
      while (index < transitions.length) {
        if (this.apply(transitions[index]!)) finished += 1;
        index += 1;
        if (deadline && index % DEADLINE_CHECK_EVERY === 0 && deadline.now() >= deadline.at) break;
      }
      if (index < transitions.length) {
        this.transitions = transitions.slice(index).concat(this.transitions);
        this.onWork();
      }
      return finished;
    } finally {
      this.draining = false;
    }
  }

  private apply(transition: Transition): boolean {
    switch (transition.kind) {
      case "started":
        transition.handle.applyLoading();
        this.batchOf(transition.handle)?.childStarted(transition.handle);
        return false;
      case "finished": {
        const { handle } = transition;
        if (!handle.applyOutcome(transition.outcome)) return false;
        handle.completed.emit(handle);
        this.batchOf(handle)?.childFinished(handle);
        return true;
      }
      case "resolved":
        transition.batch.setChildren(transition.children);
        // A child can end before the batch knows it (a manifest entry with a bad uri fails at once):
        // it is reported now, so itemCompleted still fires once for every child.
        for (const child of transition.children) {
          if (child.isDone) transition.batch.childFinished(child);
          else if (child.state === "loading") transition.batch.childStarted(child);
        }
        transition.batch.completeIfDone();
        return false;
      case "check":
        transition.batch.completeIfDone();
        return false;
      case "notify":
        transition.emit();
        return false;
    }
  }

  private push(transition: Transition): void {
    this.transitions.push(transition);
    this.onWork();
  }
}
