import type { BatchHandle, Handle, HandleState, ServedFrom } from "../src/index.js";

/** One finished load, for the dev panel's log. */
export interface LoadRecord {
  name: string;
  uri: string;
  state: HandleState;
  servedFrom: ServedFrom | null;
  errorCode: string | null;
}

export const HANDLE_STATES: readonly HandleState[] = ["pending", "loading", "loaded", "failed", "cancelled"];
export const SERVED_FROM: readonly ServedFrom[] = ["memory", "persistent", "revalidated", "network", "stale"];
const LOG_LIMIT = 200;

/** Short display name of a uri: its last path segment. */
export function shortName(uri: string): string {
  const path = uri.replace(/[?#].*$/s, "").replace(/\/+$/, "");
  return decodeURIComponent(path.slice(path.lastIndexOf("/") + 1)) || uri;
}

/** Watches every handle the demo creates: live counts by state, and where each load came from. */
export class AssetTracker {
  private readonly singles = new Set<Handle>();
  private readonly batches = new Set<BatchHandle>();
  /** Newest first. */
  readonly log: LoadRecord[] = [];
  readonly servedFromCounts: Record<ServedFrom, number> = { memory: 0, persistent: 0, revalidated: 0, network: 0, stale: 0 };
  failures = 0;
  private readonly listeners = new Set<() => void>();

  trackBatch(batch: BatchHandle): BatchHandle {
    this.batches.add(batch);
    batch.itemCompleted.connect((handle) => this.record(handle));
    return batch;
  }

  trackHandle<T>(handle: Handle<T>): Handle<T> {
    this.singles.add(handle as Handle);
    handle.completed.connect((done) => this.record(done as Handle));
    return handle;
  }

  /** Called after every recorded load. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  stateCounts(): Record<HandleState, number> {
    const counts: Record<HandleState, number> = { pending: 0, loading: 0, loaded: 0, failed: 0, cancelled: 0 };
    for (const handle of this.singles) counts[handle.state] += 1;
    for (const batch of this.batches) for (const handle of batch.handles) counts[handle.state] += 1;
    return counts;
  }

  private record(handle: Handle): void {
    if (handle.servedFrom) this.servedFromCounts[handle.servedFrom] += 1;
    if (handle.state === "failed") this.failures += 1;
    this.log.unshift({ name: shortName(handle.uri), uri: handle.uri, state: handle.state, servedFrom: handle.servedFrom, errorCode: handle.error?.code ?? null });
    if (this.log.length > LOG_LIMIT) this.log.length = LOG_LIMIT;
    for (const listener of this.listeners) listener();
  }
}
