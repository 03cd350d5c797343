import type { CDPSession } from "playwright-core";

/** What V8 holds in the service worker: its JS heap and the ArrayBuffer memory outside it. */
export interface WorkerHeapUsage {
  usedSize: number;
  backingStorageSize: number;
}

/** The service worker's heap, read over Chromium's DevTools protocol (tests that `needs(["cdp"])`). */
export interface WorkerHeap {
  usage(): Promise<WorkerHeapUsage>;
  collectGarbage(): Promise<void>;
}

/**
 * Attaches to the page's service worker through the page's CDP session. Playwright's sessions
 * send to one target only, so the worker's commands go wrapped (`Target.sendMessageToTarget`) and
 * its answers come back as events.
 */
export async function attachWorkerHeap(cdp: CDPSession): Promise<WorkerHeap> {
  const { targetInfos } = await cdp.send("Target.getTargets");
  const worker = targetInfos.find((target) => target.type === "service_worker");
  if (worker === undefined) throw new Error("no service worker target");
  const { sessionId } = await cdp.send("Target.attachToTarget", { targetId: worker.targetId, flatten: false });
  let lastId = 0;
  const pending = new Map<number, (result: unknown) => void>();
  cdp.on("Target.receivedMessageFromTarget", (event) => {
    if (event.sessionId !== sessionId) return;
    const message = JSON.parse(event.message) as { id?: number; result?: unknown };
    if (message.id !== undefined) pending.get(message.id)?.(message.result);
  });
  const call = <T>(method: string): Promise<T> =>
    new Promise<T>((resolve) => {
      const id = ++lastId;
      pending.set(id, (result) => resolve(result as T));
      void cdp.send("Target.sendMessageToTarget", { sessionId, message: JSON.stringify({ id, method, params: {} }) });
    });
  return {
    usage: () => call<WorkerHeapUsage>("Runtime.getHeapUsage"),
    collectGarbage: () => call<void>("HeapProfiler.collectGarbage"),
  };
}

/** What the worker holds: its JS heap and the ArrayBuffer memory outside it. */
export function heldBytes({ usedSize, backingStorageSize }: WorkerHeapUsage): number {
  return usedSize + backingStorageSize;
}

/**
 * Runs `work` while sampling the worker's memory as fast as CDP answers, from its level after a
 * collection (`baseline`) to the highest any sample saw (`peak`), one last sample after `work`
 * included. With `collectEachSample`, each sample follows a collection: what counts is what the
 * worker holds, not the garbage V8 has not swept yet.
 */
export async function heapPeakDuring<T>(heap: WorkerHeap, work: () => Promise<T>, options: { collectEachSample?: boolean } = {}): Promise<{ result: T; baseline: number; peak: number }> {
  await heap.collectGarbage();
  const baseline = heldBytes(await heap.usage());
  let peak = baseline;
  const sample = async (): Promise<void> => {
    if (options.collectEachSample === true) await heap.collectGarbage();
    peak = Math.max(peak, heldBytes(await heap.usage()));
  };
  let working = true;
  const sampling = (async () => {
    while (working) await sample();
  })();
  let result: T;
  try {
    result = await work();
  } finally {
    working = false;
    await sampling;
  }
  await sample();
  return { result, baseline, peak };
}
