// The page the e2e specs drive through `page.evaluate`: it builds the HTTP backend the way an
// AssetServer does and exposes small, serialisable operations on `window.simvx`.
import type { HttpRequest, ServedFrom } from "../../src/protocol";
import type { HttpBackend } from "../../src/transport/HttpBackend";
import { createHttpBackend } from "../../src/transport/createHttpBackend";

/** What one load did; `via` is the backend that took the call. */
export type LoadReport = { via: string; progressCalls: number } & (
  | { ok: true; kind: "bytes" | "notModified"; servedFrom: ServedFrom; version: string | null; text: string; byteLength: number }
  | { ok: false; name: string; code: string; status: number | null; message: string }
);

type Mode = "auto" | "service-worker" | "in-page";

const mode = (new URLSearchParams(location.search).get("backend") ?? "auto") as Mode;
const backend: HttpBackend = createHttpBackend({ backend: mode, serviceWorkerUrl: "/asset-sw.js", environment: "browser" });
const running = new Map<string, { controller: AbortController; done: Promise<LoadReport> }>();

async function load(url: string, request: Partial<HttpRequest> = {}, signal?: AbortSignal): Promise<LoadReport> {
  let progressCalls = 0;
  const via = backend.kind;
  const absolute = new URL(url, location.href).href;
  try {
    const outcome = await backend.fetch(
      { url: absolute, knownVersion: null, cache: true, revalidate: "conditional-get", ...request },
      { signal: signal ?? new AbortController().signal, onProgress: () => void progressCalls++ },
    );
    const common = { via, progressCalls, ok: true as const, servedFrom: outcome.servedFrom, version: outcome.version };
    if (outcome.kind === "notModified") return { ...common, kind: outcome.kind, text: "", byteLength: 0 };
    return { ...common, kind: outcome.kind, text: new TextDecoder().decode(outcome.bytes), byteLength: outcome.bytes.byteLength };
  } catch (error) {
    const e = error as { name?: string; code?: string; status?: number; message?: string };
    return { via, progressCalls, ok: false, name: String(e.name), code: String(e.code), status: e.status ?? null, message: String(e.message) };
  }
}

const api = {
  mode,
  kind: (): string => backend.kind,
  controlled: (): boolean => navigator.serviceWorker?.controller != null,
  /** Resolves once a service worker controls this page. */
  waitForControl: async (): Promise<void> => {
    if (navigator.serviceWorker.controller) return;
    await new Promise<void>((resolve) => navigator.serviceWorker.addEventListener("controllerchange", () => resolve(), { once: true }));
  },
  load,
  loadAll: (urls: string[], request: Partial<HttpRequest> = {}): Promise<LoadReport[]> => Promise.all(urls.map((url) => load(url, request))),
  /** Starts a load the test can cancel or await later by `id`. */
  start: (id: string, url: string, request: Partial<HttpRequest> = {}): void => {
    const controller = new AbortController();
    running.set(id, { controller, done: load(url, request, controller.signal) });
  },
  cancel: (id: string): void => running.get(id)?.controller.abort(),
  settle: (id: string): Promise<LoadReport> => running.get(id)?.done ?? Promise.reject(new Error(`no load ${id}`)),
  stats: () => backend.stats(),
  invalidate: (url: string) => backend.invalidate(new URL(url, location.href).href),
  clear: () => backend.clear(),
};

declare global {
  interface Window {
    simvx: typeof api;
  }
}
window.simvx = api;
document.getElementById("status")!.textContent = "ready";
