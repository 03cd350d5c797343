// The page the e2e specs drive through `page.evaluate`: it builds the HTTP backend the way an
// AssetServer does and exposes small, serialisable operations on `window.simvx`.
import { AssetServer } from "../../src/core/AssetServer.js";
import type { Handle } from "../../src/core/Handle.js";
import type { HttpRequest, ServedFrom } from "../../src/protocol.js";
import type { HttpBackend } from "../../src/transport/HttpBackend.js";
import { createHttpBackend } from "../../src/transport/createHttpBackend.js";

/** What one load did; `via` is the backend that took the call. */
export type LoadReport = { via: string; progressCalls: number } & (
  | { ok: true; kind: "bytes" | "notModified"; servedFrom: ServedFrom; version: string | null; text: string; byteLength: number }
  | { ok: false; name: string; code: string; status: number | null; message: string }
);

/** One handle of an AssetServer batch, once the batch has completed. */
export interface HandleReport {
  uri: string;
  state: string;
  servedFrom: ServedFrom | null;
  code: string | null;
  /** The loaded value when it is text (`.txt`, or `.json` shown as JSON text). */
  value: string | null;
  /** How often `completed` fired for the handle: exactly once is the contract. */
  completedEmits: number;
}

type Mode = "auto" | "service-worker" | "in-page";

const mode = (new URLSearchParams(location.search).get("backend") ?? "auto") as Mode;
const backend: HttpBackend = createHttpBackend({ backend: mode, serviceWorkerUrl: "/asset-sw.js", environment: "browser" });
// The AssetServer shares the backend, so both reach the same worker and the same store.
const server = new AssetServer({ httpBackend: backend, backend: mode });
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

/** Loads `urls` as one AssetServer batch and reports every handle once the batch has completed. */
async function loadGroup(urls: string[], settleMs = 300): Promise<HandleReport[]> {
  const batch = server.loadGroup(urls.map((url) => new URL(url, location.href).href));
  const emits = new Map<Handle, number>();
  for (const handle of batch.handles) handle.completed.connect(() => void emits.set(handle, (emits.get(handle) ?? 0) + 1));
  await new Promise<void>((resolve) => batch.completed.once(() => resolve()));
  // A second completion, if there were one, would come within a few more flushes.
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  return batch.handles.map((handle) => ({
    uri: handle.uri,
    state: handle.state,
    servedFrom: handle.servedFrom,
    code: handle.error?.code ?? null,
    value: typeof handle.value === "string" ? handle.value : handle.value === undefined || handle.value instanceof Uint8Array ? null : JSON.stringify(handle.value),
    completedEmits: emits.get(handle) ?? 0,
  }));
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
  loadGroup,
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
