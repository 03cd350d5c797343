// The page the e2e specs drive through `page.evaluate`: it builds the HTTP backend the way an
// AssetServer does and exposes small, serialisable operations on `window.simvx`.
import * as Comlink from "comlink";
import { AssetServer } from "../../src/index.js";
import type { BatchHandle } from "../../src/core/BatchHandle.js";
import type { Handle } from "../../src/core/Handle.js";
import type { AssetServerOptions, BatchOptions } from "../../src/core/options.js";
import type { AssetWorkerApi, HttpRequest, ServedFrom } from "../../src/kernel/protocol.js";
import type { HttpBackend } from "../../src/kernel/HttpBackend.js";
import { createBrowserBackend } from "../../src/transport/createBrowserBackend.js";
import { registerAssetWorker, serviceWorkerContainer } from "../../src/platform/registerAssetWorker.js";
import { ImageLoader } from "../../src/loaders/ImageLoader.js";
import { probeFeatures } from "../support/featureProbe.js";
import type { BatchFromWorkerReport, BatchFromWorkerRequest } from "./batchFromWorker.js";
import { audioSeeks, cssBackground, fetchWithRange, pixiLoad, showImage } from "./domRequests.js";

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
  /** Bytes of the loaded value (raw bytes, or text as UTF-8) and their SHA-256 in hex; null when not loaded. */
  byteLength: number | null;
  sha256: string | null;
  /** The failure as a user could see it (message, cause, stack, status); null when loaded. */
  errorText: string | null;
  status: number | null;
  /** Retries the AssetServer announced for the handle's uri (its `retrying` signal), since the page loaded. */
  retriesAnnounced: number;
  /** The errors those retry announcements carried, as text (message, cause, JSON). */
  retryErrorsText: string;
}

/** A batch started with `startGroup`, once it has completed. */
export interface GroupReport {
  handles: HandleReport[];
  /** How often the batch's `completed` fired: exactly once is the contract. */
  batchCompletedEmits: number;
}

/** Where a batch started with `startGroup` is now. */
export interface GroupStatus {
  total: number;
  done: number;
  /** Uris of the handles that are done or have seen some of their bytes (progress above 0). */
  progressed: string[];
}

type Mode = "auto" | "service-worker" | "in-page";

const params = new URLSearchParams(location.search);
const mode = (params.get("backend") ?? "auto") as Mode;
const registered = mode === "in-page" ? null : registerAssetWorker({ serviceWorkerUrl: "/asset-sw.js" });
registered?.catch(() => undefined);
const backend: HttpBackend = createBrowserBackend({ backend: mode, container: serviceWorkerContainer(), ...(registered ? { registered } : {}) });
// Numeric AssetServer options may come in the query (`?maxWorkers=64`), so a spec can size the server.
const numeric: Array<keyof AssetServerOptions & ("maxWorkers" | "timeoutMs" | "stallTimeoutMs" | "retries")> = ["maxWorkers", "timeoutMs", "stallTimeoutMs", "retries"];
const fromQuery: AssetServerOptions = Object.fromEntries(numeric.filter((name) => params.has(name)).map((name) => [name, Number(params.get(name))]));
// The AssetServer shares the backend, so both reach the same worker and the same store.
const server = new AssetServer({ ...fromQuery, httpBackend: backend, backend: mode });
const retriesByUri = new Map<string, number>();
const retryErrorsByUri = new Map<string, string[]>();
server.retrying.connect((event) => {
  retriesByUri.set(event.uri, (retriesByUri.get(event.uri) ?? 0) + 1);
  retryErrorsByUri.set(event.uri, [...(retryErrorsByUri.get(event.uri) ?? []), errorText(event.error)]);
});
const running = new Map<string, { controller: AbortController; done: Promise<LoadReport> }>();
const images = new Map<string, ReturnType<typeof showImage>>();

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
    if ("notModified" in outcome) return { ...common, kind: "notModified", text: "", byteLength: 0 };
    return { ...common, kind: "bytes", text: new TextDecoder().decode(outcome.bytes), byteLength: outcome.bytes.byteLength };
  } catch (error) {
    const e = error as { name?: string; code?: string; status?: number; message?: string };
    return { via, progressCalls, ok: false, name: String(e.name), code: String(e.code), status: e.status ?? null, message: String(e.message) };
  }
}

interface RunningGroup {
  batch: BatchHandle;
  emits: Map<Handle, number>;
  batchEmits: number;
  completed: Promise<void>;
}
const groups = new Map<string, RunningGroup>();
let anonymousGroups = 0;

/** Starts `urls` as one AssetServer batch, counting every `completed` emission. */
function startGroup(id: string, urls: string[], options: BatchOptions = {}): void {
  const batch = server.loadGroup(
    urls.map((url) => new URL(url, location.href).href),
    options,
  );
  const group: RunningGroup = { batch, emits: new Map(), batchEmits: 0, completed: Promise.resolve() };
  for (const handle of batch.handles) handle.completed.connect(() => void group.emits.set(handle, (group.emits.get(handle) ?? 0) + 1));
  group.completed = new Promise<void>((resolve) =>
    batch.completed.connect(() => {
      group.batchEmits += 1;
      resolve();
    }),
  );
  groups.set(id, group);
}

function groupStatus(id: string): GroupStatus {
  const group = groups.get(id);
  if (!group) throw new Error(`no group ${id}`);
  const { batch } = group;
  return { total: batch.total, done: batch.completedCount, progressed: batch.handles.filter((handle) => handle.isDone || handle.progress > 0).map((handle) => handle.uri) };
}

/** Waits for the batch, lets `settleMs` pass (a second completion would come within a few flushes), and reports it. */
async function settleGroup(id: string, settleMs = 300): Promise<GroupReport> {
  const group = groups.get(id);
  if (!group) throw new Error(`no group ${id}`);
  await group.completed;
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  const handles = await Promise.all(group.batch.handles.map((handle) => reportHandle(handle, group.emits.get(handle) ?? 0)));
  return { handles, batchCompletedEmits: group.batchEmits };
}

async function reportHandle(handle: Handle, completedEmits: number): Promise<HandleReport> {
  const value: unknown = handle.value;
  const bytes = value instanceof Uint8Array ? value : typeof value === "string" ? new TextEncoder().encode(value) : null;
  const error = handle.error;
  return {
    uri: handle.uri,
    state: handle.state,
    servedFrom: handle.servedFrom,
    code: error?.code ?? null,
    value: typeof value === "string" ? value : value === undefined || value instanceof Uint8Array ? null : JSON.stringify(value),
    completedEmits,
    byteLength: bytes?.byteLength ?? null,
    sha256: bytes === null ? null : await sha256Hex(bytes),
    errorText: error === null ? null : errorText(error),
    status: error?.status ?? null,
    retriesAnnounced: retriesByUri.get(handle.uri) ?? 0,
    retryErrorsText: (retryErrorsByUri.get(handle.uri) ?? []).join("\n"),
  };
}

function errorText(error: Error): string {
  return [String(error), error.message, String(error.cause ?? ""), error.stack ?? "", JSON.stringify(error)].join("\n");
}

/**
 * Calls the active worker by hand, bypassing the backend: a message shaped like a wake message
 * (or like another app's, `type` set otherwise) carrying a port, then `ping` on that port. The
 * answer, if the worker ever gives one, is kept under `id`.
 */
const rawAnswers = new Map<string, unknown>();
async function rawCall(id: string, type: string): Promise<void> {
  const worker = (await navigator.serviceWorker.ready).active;
  if (!worker) throw new Error("no active worker");
  const { port1, port2 } = new MessageChannel();
  worker.postMessage({ type, port: port2 }, [port2]);
  void Comlink.wrap<AssetWorkerApi>(port1)
    .ping()
    .then((answer) => void rawAnswers.set(id, answer));
}

/** Posts messages that are not calls (no port, a port that is not one, not objects) to the active worker. */
async function postJunk(): Promise<number> {
  const worker = (await navigator.serviceWorker.ready).active;
  if (!worker) throw new Error("no active worker");
  const junk: unknown[] = [null, undefined, 42, "simvx-assets:call", { type: "simvx-assets:call" }, { type: "simvx-assets:call", port: "not a port" }, { type: "simvx-assets:call", port: {} }];
  for (const message of junk) worker.postMessage(message);
  return junk.length;
}

/** Whether a dedicated worker of this page could reach the service worker at all. */
function dedicatedWorkerSeesServiceWorker(): Promise<boolean> {
  const source = "postMessage(typeof navigator.serviceWorker !== 'undefined');";
  const worker = new Worker(URL.createObjectURL(new Blob([source], { type: "text/javascript" })));
  return new Promise((resolve) => {
    worker.onmessage = (event: MessageEvent<boolean>) => {
      worker.terminate();
      resolve(event.data);
    };
  });
}

/** From a dedicated worker of this page, posts a batch for `url` to the service worker (see batchFromWorker.ts). */
function batchFromDedicatedWorker(url: string, waitMs: number): Promise<BatchFromWorkerReport> {
  const worker = new Worker(new URL("./batchFromWorker.ts", import.meta.url), { type: "module" });
  return new Promise((resolve) => {
    worker.onmessage = (event: MessageEvent<BatchFromWorkerReport>) => {
      worker.terminate();
      resolve(event.data);
    };
    const request: BatchFromWorkerRequest = { url, scope: new URL("/", location.href).href, waitMs };
    worker.postMessage(request);
  });
}

/** `probeFeatures()` in this page, in a dedicated worker of it and in a service worker of its origin (scope /probe/). */
async function probeEngine(): Promise<Record<"page" | "dedicatedWorker" | "serviceWorker", Record<string, boolean>>> {
  const source = `postMessage((${String(probeFeatures)})());`;
  const worker = new Worker(URL.createObjectURL(new Blob([source], { type: "text/javascript" })));
  const dedicatedWorker = await new Promise<Record<string, boolean>>((resolve) => {
    worker.onmessage = (event: MessageEvent<Record<string, boolean>>) => {
      worker.terminate();
      resolve(event.data);
    };
  });
  const registration = await navigator.serviceWorker.register("/probe/probe-sw.js", { scope: "/probe/" });
  const probeWorker = registration.active ?? registration.waiting ?? registration.installing;
  if (!probeWorker) throw new Error("the probe worker did not register");
  const { port1, port2 } = new MessageChannel();
  const serviceWorker = new Promise<Record<string, boolean>>((resolve) => (port1.onmessage = (event: MessageEvent<Record<string, boolean>>) => resolve(event.data)));
  probeWorker.postMessage(null, [port2]);
  const report = { page: probeFeatures(), dedicatedWorker, serviceWorker: await serviceWorker };
  await registration.unregister();
  return report;
}

/** Whether a module service worker (`{ type: "module" }`) installs here. */
async function moduleServiceWorkerInstalls(): Promise<boolean> {
  try {
    // The probe's script is valid as a module too (no imports, no `this` at the top).
    const registration = await navigator.serviceWorker.register("/probe/probe-sw.js?module", { scope: "/probe/module/", type: "module" });
    const worker = registration.installing ?? registration.waiting ?? registration.active;
    const installed = await new Promise<boolean>((resolve) => {
      if (!worker || worker.state !== "installing") return resolve(worker !== null && worker.state !== "redundant");
      worker.addEventListener("statechange", () => worker.state !== "installing" && resolve(worker.state !== "redundant"));
    });
    await registration.unregister();
    return installed;
  } catch {
    return false;
  }
}

/**
 * A 1×2 PNG (top red, bottom blue) made here, decoded by `ImageLoader` with `options`, and the
 * colour of the bitmap's top pixel as the page draws it.
 */
async function decodeWithImageLoader(options: ImageBitmapOptions): Promise<{ width: number; height: number; top: "red" | "blue" | string } | { error: string }> {
  const canvas = document.createElement("canvas");
  canvas.width = 1;
  canvas.height = 2;
  const context = canvas.getContext("2d")!;
  context.fillStyle = "#f00";
  context.fillRect(0, 0, 1, 1);
  context.fillStyle = "#00f";
  context.fillRect(0, 1, 1, 1);
  const png = await new Promise<Blob>((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("no PNG"))), "image/png"));
  try {
    const bitmap = await new ImageLoader(options).parse(new Uint8Array(await png.arrayBuffer()), "probe.png");
    context.clearRect(0, 0, 1, 2);
    context.drawImage(bitmap, 0, 0);
    const [r, g, b] = context.getImageData(0, 0, 1, 1).data;
    return { width: bitmap.width, height: bitmap.height, top: r === 255 && g === 0 && b === 0 ? "red" : r === 0 && g === 0 && b === 255 ? "blue" : `rgb(${r},${g},${b})` };
  } catch (error) {
    return { error: String(error) };
  }
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** Loads `urls` as one AssetServer batch and reports every handle once the batch has completed. */
async function loadGroup(urls: string[], settleMs = 300): Promise<HandleReport[]> {
  const id = `group-${++anonymousGroups}`;
  startGroup(id, urls);
  const report = await settleGroup(id, settleMs);
  groups.delete(id);
  return report.handles;
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
  startGroup,
  groupStatus,
  settleGroup,
  /** The page AssetServer's counters (where loads were served from, retries). */
  serverStats: () => server.stats(),
  /** What the persistent HTTP cache holds, as the AssetServer reports it. */
  persistentStats: () => server.persistentStats(),
  storageEstimate: async (): Promise<{ usage: number | null; quota: number | null }> => {
    const estimate = await navigator.storage.estimate();
    return { usage: estimate.usage ?? null, quota: estimate.quota ?? null };
  },
  rawCall,
  rawAnswer: (id: string): unknown => rawAnswers.get(id) ?? null,
  postJunk,
  dedicatedWorkerSeesServiceWorker,
  batchFromDedicatedWorker,
  probeEngine,
  moduleServiceWorkerInstalls,
  decodeWithImageLoader,
  /** A blob: URL of `text`, made by this page. */
  blobUrl: (text: string): string => URL.createObjectURL(new Blob([text], { type: "text/plain" })),
  /** URLs this page fetched itself whose URL contains `part` (its resource timeline; a service worker's fetches are not on it). */
  pageRequests: (part: string): string[] =>
    performance
      .getEntriesByType("resource")
      .map((entry) => entry.name)
      .filter((name) => name.includes(part)),
  stats: () => backend.stats(),
  /** The page AssetServer's URL for `uri` (`server.urlOf`). */
  urlOf: (uri: string): string => server.urlOf(uri),
  showImage,
  /** Starts an `<img>` the test can await later by `id` (while it holds the origin). */
  startImage: (id: string, url: string): void => void images.set(id, showImage(url)),
  settleImage: (id: string) => images.get(id) ?? Promise.reject(new Error(`no image ${id}`)),
  cssBackground,
  audioSeeks,
  fetchWithRange,
  pixiLoad,
  /**
   * Resource timing of the page's own requests for URLs containing `part`: when a service worker
   * started on them (0: none) and how long it took before the fetch went on.
   */
  workerTimings: (part: string): Array<{ name: string; workerStart: number; fetchStart: number; responseEnd: number }> =>
    (performance.getEntriesByType("resource") as PerformanceResourceTiming[])
      .filter((entry) => entry.name.includes(part))
      .map((entry) => ({ name: entry.name, workerStart: entry.workerStart, fetchStart: entry.fetchStart, responseEnd: entry.responseEnd })),
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
