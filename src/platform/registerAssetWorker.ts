import { workerLocation } from "../transport/workerLocation.js";
import { appBaseUrl } from "./appBase.js";

export interface RegisterAssetWorkerOptions {
  /** Default `<app base>asset-sw.js` (see `AssetServerOptions.serviceWorkerUrl`). */
  serviceWorkerUrl?: string | null;
}

/** `navigator.serviceWorker`, which is missing outside secure contexts and in some private modes. */
export function serviceWorkerContainer(): ServiceWorkerContainer | null {
  return typeof navigator !== "undefined" && "serviceWorker" in navigator ? navigator.serviceWorker : null;
}

/**
 * Registers the asset worker at `<app base>asset-sw.js` with the app's base as its scope.
 * `AssetServer.instance()` calls it; an app that builds its own `new AssetServer({...})` calls it
 * once itself (or registers its own worker that runs `installAssetWorker`).
 */
export function registerAssetWorker(options: RegisterAssetWorkerOptions = {}): Promise<ServiceWorkerRegistration> {
  const container = serviceWorkerContainer();
  if (!container) return Promise.reject(new Error("no service worker support in this context"));
  // The registration call itself can throw synchronously in some sandboxed frames.
  return Promise.resolve().then(() => {
    const { scriptUrl, scope } = workerLocation(options.serviceWorkerUrl ?? null, appBaseUrl());
    return container.register(scriptUrl, { scope });
  });
}
