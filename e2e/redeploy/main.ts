// A small app built twice by e2e/deploy.updates.spec.ts (the second time with one pkg file
// changed) to test updates after a deploy: what the page sees, exposed as `window.redeploy`.
import { AssetServer, type BatchHandle, type Handle, type UpdateInfo } from "../../src/index.js";

/** Every pkg file of the fixture. */
const FILES = ["pkg://game/greeting.txt", "pkg://game/level.json", "pkg://game/sprites/hero.bin", "pkg://game/text/credits.md"];

export interface LoadReport {
  uri: string;
  state: string;
  servedFrom: string | null;
  /** Text files: their text; others: their size. */
  content: string | null;
  error: string | null;
}

export interface ApplyReport {
  total: number;
  loaded: number;
  failed: number;
  uris: string[];
  servedFrom: Array<string | null>;
  errors: string[];
  progress: number;
}

export interface RedeployApi {
  /** What the signals delivered, in order. */
  seen: { available: UpdateInfo[]; ready: UpdateInfo[] };
  check(): Promise<UpdateInfo | null>;
  checkError(): Promise<{ code: string; message: string } | null>;
  /** Starts applyUpdate() and returns at once (two tabs start together). */
  startApply(): void;
  /** Resolves with the batch's outcome once it completed. */
  applied(): Promise<ApplyReport>;
  /** Loads every pkg file (memory caches emptied first, so each comes from the worker or the network). */
  loadAll(): Promise<LoadReport[]>;
  /** The fetch engine's store keys (absolute URLs). */
  storedUrls(): Promise<string[]>;
  /** Starts loading an HTTP asset (through the worker that controls the page) and returns at once. */
  startHttp(url: string): void;
  /** How that load ended, and how many times its `completed` fired. */
  httpResult(): Promise<LoadReport & { completedEmits: number }>;
  /** Imports the build's lazily loaded chunk (a shell file the page has not needed until now). */
  lazyText(): Promise<string>;
  /** Drops `uri` from every cache, then reads it at once as a page request (`fetch` of `urlOf`) and as a `load()`. */
  readTwice(uri: string): Promise<void>;
  /** What the page request and the load got: each its body's length, or its error. */
  readTwiceResult(): Promise<{ fetched: string; loaded: string }>;
}

const server = AssetServer.instance();
const seen: RedeployApi["seen"] = { available: [], ready: [] };
server.updateAvailable.connect((info) => seen.available.push(info));
server.updateReady.connect((info) => seen.ready.push(info));
let batch: BatchHandle | null = null;
let http: { handle: Handle<unknown>; completedEmits: number } | null = null;
let twice: Promise<{ fetched: string; loaded: string }> | null = null;

async function loadAll(): Promise<LoadReport[]> {
  await server.clearCaches();
  const handles = FILES.map((uri) => server.load(uri));
  await Promise.allSettled(handles.map((handle) => handle.result()));
  return handles.map(reportOf);
}

function reportOf(handle: Handle<unknown>): LoadReport {
  const value = handle.value;
  const content = value instanceof Uint8Array ? `${value.byteLength} bytes` : typeof value === "string" ? value : value === undefined ? null : JSON.stringify(value);
  return { uri: handle.uri, state: handle.state, servedFrom: handle.servedFrom, content, error: handle.error ? `${handle.error.code}: ${handle.error.message}` : null };
}

function storedUrls(): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open("simvx-assets-http");
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const keys = db.transaction("entries").objectStore("entries").getAllKeys(IDBKeyRange.bound("m:", "m;", false, true));
      keys.onsuccess = () => {
        db.close();
        resolve(keys.result.map((key) => String(key).slice(2)).sort());
      };
      keys.onerror = () => reject(keys.error);
    };
  });
}

window.redeploy = {
  seen,
  check: () => server.checkForUpdate(),
  checkError: () =>
    server.checkForUpdate().then(
      () => null,
      (error: { code: string; message: string }) => ({ code: error.code, message: error.message }),
    ),
  startApply() {
    batch = server.applyUpdate();
  },
  async applied() {
    const current = batch;
    if (current === null) throw new Error("startApply() first");
    if (!current.isDone) await new Promise((resolve) => current.completed.once(resolve));
    const errors = current.handles.filter((handle) => handle.error).map((handle) => `${handle.uri}: ${handle.error!.code}: ${handle.error!.message}`);
    return {
      total: current.total,
      loaded: current.handles.filter((handle) => handle.state === "loaded").length,
      failed: current.failedCount,
      uris: current.handles.map((handle) => handle.uri),
      servedFrom: current.handles.map((handle) => handle.servedFrom),
      errors,
      progress: current.progress,
    };
  },
  loadAll,
  storedUrls,
  startHttp(url) {
    const handle = server.load(url);
    const started = { handle, completedEmits: 0 };
    handle.completed.connect(() => (started.completedEmits += 1));
    http = started;
  },
  lazyText: () => import("./lazy.js").then((module) => module.LAZY_TEXT),
  async readTwice(uri) {
    await server.invalidate(uri);
    const fetched = fetch(server.urlOf(uri)).then(
      async (response) => `${response.status} ${(await response.arrayBuffer()).byteLength} bytes`,
      (error: unknown) => String(error),
    );
    const handle = server.load(uri);
    const loaded = handle.result().then(
      () => reportOf(handle).content ?? "",
      () => reportOf(handle).error ?? "",
    );
    twice = Promise.all([fetched, loaded]).then(([f, l]) => ({ fetched: f, loaded: l }));
  },
  readTwiceResult() {
    if (twice === null) throw new Error("readTwice() first");
    return twice;
  },
  async httpResult() {
    const current = http;
    if (current === null) throw new Error("startHttp() first");
    await current.handle.result().catch(() => undefined);
    return { ...reportOf(current.handle), completedEmits: current.completedEmits };
  },
};

void loadAll().then(() => (document.getElementById("status")!.textContent = "ready"));

declare global {
  interface Window {
    redeploy: RedeployApi;
  }
}
