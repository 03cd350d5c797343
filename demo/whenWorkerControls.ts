/**
 * Resolves once a service worker controls the page, or after `maxWaitMs` (or at once where there
 * is none). On a first visit the asset worker takes control a moment after the game has started:
 * a request another engine makes before then goes past the store to the network.
 */
export function whenWorkerControls(maxWaitMs: number): Promise<void> {
  const container = "serviceWorker" in navigator ? navigator.serviceWorker : null;
  if (container === null || container.controller !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      container.removeEventListener("controllerchange", done);
      resolve();
    };
    const timer = setTimeout(done, maxWaitMs);
    container.addEventListener("controllerchange", done);
  });
}
