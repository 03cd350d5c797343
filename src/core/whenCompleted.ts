import type { AssetError } from "../kernel/AssetError.js";
import type { Signal } from "./Signal.js";

/**
 * The promise behind `result()` and `results()`: settles as `settled()` says once `completed`
 * emits, or rejects with `timeoutError()` after `timeoutMs` (the work itself goes on).
 */
export function whenCompleted<T, E>(
  completed: Signal<E>,
  settled: () => Promise<T>,
  timeoutMs: number | undefined,
  timeoutError: () => AssetError,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const disconnect = completed.once(() => {
      if (timer !== undefined) clearTimeout(timer);
      settled().then(resolve, reject);
    });
    if (timeoutMs !== undefined && Number.isFinite(timeoutMs) && timeoutMs >= 0) {
      timer = setTimeout(() => {
        disconnect();
        reject(timeoutError());
      }, timeoutMs);
    }
  });
}
