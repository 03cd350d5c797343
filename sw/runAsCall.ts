import type { LivenessReply } from "../src/kernel/protocol.js";

/** Where a call's liveness messages go: the call's or the batch's port. */
export interface ReplyPort {
  postMessage(message: unknown, transfer?: Transferable[]): void;
}

export interface RunAsCallOptions {
  /** The worker's `navigator.locks`, or null where there are none. */
  locks: LockManager | null;
  /** The page has no Web Locks and asked for `alive` ticks. */
  heartbeat: boolean;
}

/** How often `alive` goes while a call runs without a lock the page can wait on. */
export const ALIVE_INTERVAL_MS = 1_000;

/**
 * Runs `work` as one call the page watches. The worker holds a Web Lock, named in the first
 * message (`accepted`), until `work` settles; the page asks for the same lock and is granted it
 * the moment the call ends or the worker dies (4 ms after a CDP stop in Chromium, where a port's
 * `close` never fires). Without locks on either side, `alive` ticks every second stand in.
 */
export async function runAsCall(port: ReplyPort, options: RunAsCallOptions, work: () => Promise<void>): Promise<void> {
  let began = false;
  const run = async (lock: string | null): Promise<void> => {
    began = true;
    post(port, { type: "simvx-assets:accepted", lock });
    const ticks = lock === null || options.heartbeat ? setInterval(() => post(port, { type: "simvx-assets:alive" }), ALIVE_INTERVAL_MS) : undefined;
    try {
      await work();
    } finally {
      clearInterval(ticks);
    }
  };
  if (options.locks) {
    const name = `simvx-assets:call:${globalThis.crypto.randomUUID()}`;
    try {
      await options.locks.request(name, () => run(name));
      return;
    } catch (error) {
      // A lock manager that refuses (a sandboxed or opaque-origin context) before the call began:
      // the call still runs, watched by ticks. A failure of the work itself is not ours to hide.
      if (began) throw error;
    }
  }
  await run(null);
}

function post(port: ReplyPort, message: LivenessReply): void {
  try {
    port.postMessage(message);
  } catch {
    // A closed port: the page has gone, and nobody is left to tell.
  }
}
