import type { Plugin } from "vite";

/** What a page in a frame tells its parent (`e2e/deploy.portal.spec.ts`): no driver here reaches into a cross-site frame. */
export interface FrameReport {
  href: string;
  /** `#app[data-scene]`: `loading`, `game`, ... */
  scene: string | null;
  /** The loading screen's status line. */
  status: string | null;
  isSecureContext: boolean;
  /** `navigator.serviceWorker` exists in the frame. */
  serviceWorkerApi: boolean;
  /** The script of the worker that controls the frame, or null. */
  controller: string | null;
  /** The frame's registration (`getRegistration()`): its scope and its active worker's state, or the error it gave. */
  registration: { scope: string; active: string | null } | { error: string } | null;
  /** `assetServer.stats().httpBackend`. */
  backend: string | null;
  /** Console errors and warnings, and uncaught errors (from `consoleRecorder.ts`). */
  problems: string[];
}

/**
 * Runs first in the page, and only in a frame: posts a `FrameReport` to the parent at once and
 * every 200 ms (engine-neutral: the portal page keeps the last one in a global the test reads).
 */
function reportToParent(): void {
  if (window.parent === window) return;
  const send = async (): Promise<void> => {
    const container = navigator.serviceWorker as ServiceWorkerContainer | undefined;
    let registration: FrameReport["registration"] = null;
    if (container) {
      try {
        const found = await container.getRegistration();
        registration = found ? { scope: found.scope, active: found.active?.state ?? null } : null;
      } catch (error) {
        registration = { error: String(error) };
      }
    }
    const server = (window as unknown as { assetServer?: { stats(): { httpBackend: string | null } } }).assetServer;
    const consoleEntries = (window as unknown as { __simvxConsole?: Array<{ type: string; text: string }> }).__simvxConsole ?? [];
    const report: FrameReport = {
      href: location.href,
      scene: document.querySelector("#app")?.getAttribute("data-scene") ?? null,
      status: document.querySelector(".loading .status")?.textContent ?? null,
      isSecureContext: window.isSecureContext,
      serviceWorkerApi: container !== undefined,
      controller: container?.controller?.scriptURL ?? null,
      registration,
      backend: server?.stats().httpBackend ?? null,
      problems: consoleEntries.filter((entry) => entry.type !== "log" && entry.type !== "info" && entry.type !== "debug").map((entry) => `${entry.type}: ${entry.text}`),
    };
    window.parent.postMessage({ type: "simvx-frame-report", report }, "*");
  };
  void send();
  setInterval(() => void send(), 200);
}

/** Puts the frame reporter at the top of every HTML page, after the console recorder. */
export function frameReporterPlugin(): Plugin {
  return {
    name: "e2e:frame-reporter",
    transformIndexHtml: () => [{ tag: "script", children: `(${String(reportToParent)})();`, injectTo: "head" }],
  };
}
