import { AssetError } from "../kernel/AssetError.js";
import type { Handle } from "./Handle.js";
import { Signal } from "./Signal.js";
import { whenCompleted } from "./whenCompleted.js";

/**
 * A group of loads with combined progress. A folder or manifest batch starts with one placeholder
 * child (the folder's or manifest's own uri) until its listing is known; if listing fails or is
 * cancelled, that placeholder stays as the one failed or cancelled child.
 */
export class BatchHandle {
  /** Emits per child as it finishes, from `flush()`. */
  readonly itemCompleted = new Signal<Handle>();
  /** Emits exactly once, after the last `itemCompleted`. */
  readonly completed = new Signal<BatchHandle>();

  private children: Handle[];
  /** Listed children not yet attached by a flush; `cancel()` reaches them too. */
  private incoming: Handle[] = [];
  private weights: number[] = [];
  private totalWeight = 0;
  private finishedWeight = 0;
  private readonly weightOf = new Map<Handle, number>();
  private readonly active = new Set<Handle>();
  private finishedCount = 0;
  private failed = 0;
  private cancelled = 0;
  private finished = false;
  private readonly failFast: boolean;
  /** The only child is a placeholder whose listing (or manifest) is still being read. */
  private listing: boolean;

  /**
   * @internal Batches are created by `AssetServer`. `listing`: the one child is the placeholder of a
   * folder or manifest whose children are not known yet.
   */
  constructor(children: Handle[], failFast = false, listing = false) {
    this.failFast = failFast;
    this.children = [];
    this.setChildren(children);
    this.listing = listing;
  }

  get total(): number {
    return this.children.length;
  }

  /** Children in any terminal state. */
  get completedCount(): number {
    return this.finishedCount;
  }

  get failedCount(): number {
    return this.failed;
  }

  get cancelledCount(): number {
    return this.cancelled;
  }

  get handles(): readonly Handle[] {
    return this.children;
  }

  get isDone(): boolean {
    return this.finished;
  }

  /** Children's progress weighted by expected bytes where a manifest gave sizes; 1.0 once done. */
  get progress(): number {
    if (this.finished) return 1;
    // The placeholder's own bytes (the manifest's) say nothing of the whole: counting them would
    // make the bar jump forward, then back to 0 once the real children arrive.
    if (this.listing || this.totalWeight === 0) return 0;
    let inFlight = 0;
    for (const child of this.active) inFlight += (this.weightOf.get(child) ?? 0) * child.progress;
    return Math.min(1, (this.finishedWeight + inFlight) / this.totalWeight);
  }

  /**
   * Resolves with every child's value keyed by its absolute uri; rejects with the first failed
   * child's error (else the first cancelled one's), or with TIMEOUT after `timeoutMs`.
   */
  results(timeoutMs?: number): Promise<Record<string, unknown>> {
    if (this.finished) return this.settled();
    return whenCompleted(this.completed, () => this.settled(), timeoutMs, () =>
      new AssetError("TIMEOUT", this.children[0]?.uri ?? "batch", { message: `results() waited ${timeoutMs} ms for a batch of ${this.total}` }),
    );
  }

  /** Cancels every unfinished child (and a listing still in progress). */
  cancel(): void {
    for (const child of [...this.children, ...this.incoming]) child.cancel();
  }

  private settled(): Promise<Record<string, unknown>> {
    const problem = this.children.find((child) => child.state === "failed") ?? this.children.find((child) => child.state === "cancelled");
    if (problem) return Promise.reject(problem.error);
    const values: Record<string, unknown> = {};
    for (const child of this.children) values[child.absoluteUri] = child.value;
    return Promise.resolve(values);
  }

  /** @internal The listing is known; the children are attached by the next flush. */
  stage(children: Handle[]): void {
    this.incoming = children;
  }

  /**
   * @internal Replaces the placeholder child with the listed children (called from flush, which then
   * reports children already done through `childFinished`).
   */
  setChildren(children: Handle[]): void {
    this.listing = false;
    this.children = children;
    this.incoming = [];
    this.weightOf.clear();
    this.active.clear();
    const known = children.map((child) => child.expectedBytes).filter((bytes): bytes is number => bytes !== undefined && bytes > 0);
    // Children without a size weigh as much as the average child with one, so progress stays byte-true.
    const fallback = known.length > 0 ? known.reduce((sum, bytes) => sum + bytes, 0) / known.length : 1;
    this.weights = children.map((child) => (known.length > 0 ? (child.expectedBytes && child.expectedBytes > 0 ? child.expectedBytes : fallback) : 1));
    this.totalWeight = this.weights.reduce((sum, weight) => sum + weight, 0);
    children.forEach((child, index) => this.weightOf.set(child, this.weights[index]!));
    this.finishedWeight = 0;
    this.finishedCount = 0;
    this.failed = 0;
    this.cancelled = 0;
  }

  /** @internal A child started loading (called from flush). */
  childStarted(child: Handle): void {
    if (this.weightOf.has(child) && !child.isDone) this.active.add(child);
  }

  /** @internal A child reached a terminal state (called from flush, right after it did). */
  childFinished(child: Handle): void {
    if (!this.weightOf.has(child)) return;
    this.active.delete(child);
    this.count(child);
    this.itemCompleted.emit(child);
    if (this.failFast && child.state === "failed") this.cancel();
    this.completeIfDone();
  }

  /** @internal Emits `completed` once every child is done (an empty batch: on its first flush). */
  completeIfDone(): boolean {
    if (this.finished || this.finishedCount < this.children.length) return false;
    this.finished = true;
    this.completed.emit(this);
    return true;
  }

  private count(child: Handle): void {
    this.finishedCount += 1;
    this.finishedWeight += this.weightOf.get(child) ?? 0;
    if (child.state === "failed") this.failed += 1;
    if (child.state === "cancelled") this.cancelled += 1;
  }
}
