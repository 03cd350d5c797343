import type { IdleGate } from "./IdleGate.js";
import type { StreamedEntryWriter } from "./StreamedEntryWriter.js";

/**
 * The engine's stores under way, by URL: writes behind answers (`behind`), and bodies being stored
 * as they stream to a page (`streaming`). A read of a URL waits for both (one network request);
 * `settle()` and so `flush()` wait for the writes only (a paused page would hold every call's flush).
 */
export class PendingWrites {
  private readonly writes = new Map<string, Promise<unknown>>();
  private readonly streams = new Map<string, { settled: Promise<void>; sink: StreamedEntryWriter }>();
  private drained: { promise: Promise<void>; resolve(): void } | null = null;

  /** `idle` holds writes back while requests are in flight; a read of their URL lets them go. */
  constructor(private readonly idle: IdleGate) {}

  /** Resolves once what is being stored for `url` is there (a write held back goes now). */
  async settledFor(url: string): Promise<void> {
    await this.writeOf(url);
    await this.streams.get(url)?.settled;
  }

  /** Resolves once the write behind an answer for `url`, if any, is done (a held one goes now). */
  async writeOf(url: string): Promise<void> {
    this.idle.openKey(url);
    await this.writes.get(url);
  }

  /**
   * Runs `work` after the writes of `url` queued before it; the promise never rejects. With
   * `holdBytes`, it is also held back while requests are in flight (the idle gate), from this call
   * on: a read of `url` that comes before the work starts must find it there to let it go.
   */
  behind(url: string, work: () => Promise<unknown>, holdBytes?: number): Promise<unknown> {
    const before = this.writes.get(url) ?? Promise.resolve();
    const held = holdBytes === undefined ? null : this.idle.wait(url, holdBytes);
    const write = (held === null ? before : before.then(() => held)).then(work).catch(() => undefined);
    this.writes.set(url, write);
    void write.finally(() => {
      if (this.writes.get(url) === write) this.writes.delete(url);
      if (this.writes.size > 0 || this.drained === null) return;
      this.drained.resolve();
      this.drained = null;
    });
    return write;
  }

  /** `sink` stores the body of `url` as it streams in, until `settled`. */
  streaming(url: string, settled: Promise<void>, sink: StreamedEntryWriter): void {
    const tracked = { settled, sink };
    this.streams.set(url, tracked);
    void settled.then(() => {
      if (this.streams.get(url) === tracked) this.streams.delete(url);
    });
  }

  /** Stops storing the body streaming in under `url` (it was invalidated). */
  abandon(url: string): void {
    this.streams.get(url)?.sink.abandon();
  }

  /** Stops storing every body streaming in (the store was cleared). */
  abandonAll(): void {
    for (const { sink } of this.streams.values()) sink.abandon();
  }

  /**
   * Resolves once no write is under way. One shared promise: every worker call ends with a flush,
   * and awaiting each pending write per call made a batch quadratic.
   */
  settle(): Promise<void> {
    if (this.writes.size === 0) return Promise.resolve();
    if (this.drained === null) {
      let resolve!: () => void;
      const promise = new Promise<void>((done) => (resolve = done));
      this.drained = { promise, resolve };
    }
    return this.drained.promise;
  }
}
