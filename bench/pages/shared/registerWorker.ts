/**
 * Registers a worker with scope `/` and resolves once it is active. Controlling this page takes
 * a reload (or `clients.claim()`); the harness reloads before every measured run.
 */
export async function registerWorker(url: string, type: WorkerType = "classic"): Promise<void> {
  await navigator.serviceWorker.register(url, { scope: "/", type });
  const registration = await navigator.serviceWorker.ready;
  const worker = registration.active;
  if (worker && worker.state !== "activated") {
    await new Promise<void>((resolve) => {
      worker.addEventListener("statechange", () => {
        if (worker.state === "activated") resolve();
      });
    });
  }
}
