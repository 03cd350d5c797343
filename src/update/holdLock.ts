/**
 * Waits for the Web Lock `name` and holds it until the returned function is called. Without
 * `locks` (no Web Locks in this browser) it holds nothing and resolves at once. Rejects (an
 * AbortError) when `signal` aborts before the lock is granted.
 */
export function holdLock(locks: LockManager | null, name: string, options: { mode?: LockMode; signal?: AbortSignal } = {}): Promise<() => void> {
  if (locks === null) return Promise.resolve(() => undefined);
  return new Promise((resolve, reject) => {
    let release!: () => void;
    const held = new Promise<void>((done) => (release = done));
    const request: LockOptions = { mode: options.mode ?? "exclusive", ...(options.signal ? { signal: options.signal } : {}) };
    locks
      .request(name, request, () => {
        resolve(release);
        return held;
      })
      .catch(reject);
  });
}
