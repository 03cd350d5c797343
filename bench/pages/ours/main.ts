import { AssetServer, type BackendChoice } from "../../../src/index.js";
import type { LoadOutcome, RunRequest } from "../shared/benchApi.js";
import { installBench } from "../shared/installBench.js";
import { loadImages } from "../shared/loadImages.js";
import { startTaskProbe } from "../shared/taskProbe.js";

const query = new URL(location.href).searchParams;
const backend: BackendChoice = query.get("backend") === "in-page" ? "in-page" : "service-worker";
// The packs chain's pkg index (issue 15); absent elsewhere, so no other chain checks an index for updates.
const pkgIndexUrl = query.get("pkgIndex") ?? undefined;
let server: AssetServer | null = null;

// One server per page load (the harness reloads between runs), with the defaults a user gets: HTTP
// reads are not gated in the page (maxWorkers is for the other sources), the worker and the
// browser schedule them. The bench's frame loop calls flush() once per animation frame, as
// autoFlush would, so that each flush can be timed.
function serverFor(): AssetServer {
  server ??= new AssetServer({ backend, autoFlush: false, ...(pkgIndexUrl === undefined ? {} : { pkgIndexUrl }) });
  return server;
}

function count(notes: Record<string, number>, key: string): void {
  notes[key] = (notes[key] ?? 0) + 1;
}

async function load(request: RunRequest, frameHook: { set(hook: (() => number) | null): void }): Promise<LoadOutcome> {
  // Issue 14: the page's `<img>` elements, no call of ours; the worker (built with the image
  // folder in its `intercept` rules) answers them from its store.
  if (request.kind === "image") return loadImages(request);
  const assets = serverFor();
  // Issue 10: starting a big batch must cost no task over 16 ms. The probe watches the first second.
  const probe = startTaskProbe(1_000);
  const callStarted = performance.now();
  const ours = request.ours;
  const batch = ours === null ? assets.loadGroup(request.urls) : "pkgUris" in ours ? assets.loadGroup(ours.pkgUris) : assets.loadManifest(ours.manifestUrl);
  const loadGroupCallMs = performance.now() - callStarted;
  const done = new Promise<void>((resolve) => batch.completed.once(() => resolve()));
  frameHook.set(() => assets.flush());
  await done;
  frameHook.set(null);
  const longestTaskMs = probe.stop();
  const outcome: LoadOutcome = { loaded: 0, failed: 0, revSum: 0, bytes: 0, notes: { loadGroupCallMs: Math.round(loadGroupCallMs * 10) / 10, longestTaskFirstSecondMs: Math.round(longestTaskMs * 10) / 10 } };
  for (const handle of batch.handles) {
    if (handle.state !== "loaded") {
      outcome.failed++;
      count(outcome.notes as Record<string, number>, `error:${handle.error?.code ?? handle.state}`);
      continue;
    }
    outcome.loaded++;
    count(outcome.notes as Record<string, number>, `servedFrom:${handle.servedFrom ?? "null"}`);
    if (request.kind === "json") outcome.revSum += (handle.value as { rev?: number }).rev ?? 0;
    else outcome.bytes += (handle.value as Uint8Array).byteLength;
  }
  return outcome;
}

installBench(`ours-${backend}`, {
  async setup() {
    if (backend !== "service-worker") return;
    // Constructing the server registers the worker; wait until it is active.
    serverFor();
    await navigator.serviceWorker.ready;
  },
  load,
});
