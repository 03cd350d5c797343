import { EventLoopFlushScheduler } from "../core/FlushScheduler.js";
import { httpSources, type Platform } from "../core/Platform.js";
import { ASSET_CHANGED_EVENT } from "../kernel/pluginContract.js";
import type { HttpBackend } from "../kernel/HttpBackend.js";
import { FileSource } from "../sources/FileSource.js";
import type { MemSource } from "../sources/MemSource.js";
import { PkgSource, type PkgSourceOptions } from "../sources/PkgSource.js";
import type { Source } from "../sources/Source.js";
import { createBrowserBackend } from "../transport/createBrowserBackend.js";
import { createServerUpdates } from "../update/createServerUpdates.js";
import { AnimationFrameFlushScheduler } from "./AnimationFrameFlushScheduler.js";
import { appBaseUrl } from "./appBase.js";
import { registerAssetWorker, serviceWorkerContainer } from "./registerAssetWorker.js";

/** The built-in source of each scheme in a browser; `http` and `https` share one. */
export function browserSources(http: HttpBackend, mem: MemSource, options: Omit<PkgSourceOptions, "backend">): Record<string, Source> {
  return { pkg: new PkgSource({ backend: http, ...options }), file: new FileSource(), ...httpSources(http, options.revalidate), mem };
}

/** A page: the asset worker (or the in-page engine), the pkg:// index under the app's base, animation-frame flushes. */
export const browserPlatform: Platform = {
  wire(options, resolved, mem) {
    const http =
      options.httpBackend ??
      createBrowserBackend({
        backend: resolved.backend,
        container: serviceWorkerContainer(),
        // Asking for the worker by name is asking for it to be registered; "auto" only uses a worker
        // that controls the page (registered by `instance()`, `registerAssetWorker()` or the app).
        ...(resolved.backend === "service-worker" ? { registered: registerAssetWorker({ serviceWorkerUrl: resolved.serviceWorkerUrl }) } : {}),
        engine: resolved.engine,
      });
    const base = appBaseUrl() ?? document.baseURI;
    return {
      sources: browserSources(http, mem, { base, revalidate: resolved.revalidate, ...(options.pkgIndexUrl ? { indexUrl: options.pkgIndexUrl } : {}) }),
      httpBackend: http,
      defaultBase: document.baseURI,
      scheduleFlush: (flush) => (typeof requestAnimationFrame === "function" ? new AnimationFrameFlushScheduler(flush) : new EventLoopFlushScheduler(flush)),
      updates: (host) => createServerUpdates(host, appBaseUrl()),
      watchChanges(changed) {
        // The Vite plugin's dev client fires it when a file of a pkg folder is saved.
        const onSaved = (event: Event): void => {
          const uri = (event as CustomEvent<unknown>).detail;
          if (typeof uri === "string") changed(uri);
        };
        window.addEventListener(ASSET_CHANGED_EVENT, onSaved);
        return () => window.removeEventListener(ASSET_CHANGED_EVENT, onSaved);
      },
    };
  },
  startShared() {
    // A failed registration leaves the page uncontrolled, so "auto" stays in-page: worth a word in
    // the console, never a failed load.
    registerAssetWorker().catch((error: unknown) => console.warn(`simvx-assets: service worker not registered, loading in the page: ${String(error)}`));
  },
};
