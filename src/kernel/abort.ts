import { AssetError } from "./AssetError.js";

/** Fails with CANCELLED once `signal` has aborted. */
export function throwIfCancelled(signal: AbortSignal, uri: string): void {
  if (signal.aborted) throw new AssetError("CANCELLED", uri, { cause: signal.reason });
}

/**
 * Waits for `work` but gives up with CANCELLED as soon as `signal` aborts. For work shared with
 * other reads (an index fetch) or that cannot be aborted (OPFS calls): it carries on, unobserved.
 */
export function untilCancelled<T>(work: Promise<T>, signal: AbortSignal, uri: string): Promise<T> {
  throwIfCancelled(signal, uri);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new AssetError("CANCELLED", uri, { cause: signal.reason }));
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
