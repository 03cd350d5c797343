import type { LoadOutcome, RunRequest } from "./benchApi.js";

/** The `Server-Timing` metric ours' worker names its answer's source with (`sw/answerPageRequest.ts`). */
const OURS_SERVER_TIMING = "simvx-assets";

/** The parts of a `PerformanceResourceTiming` that tell where an image came from. */
export interface ImageTiming {
  workerStart: number;
  transferSize: number;
  serverTiming: readonly { name: string; description: string }[];
}

/**
 * Where one image came from, as the page can tell: ours' worker names its source (`persistent`,
 * `network`, `revalidated`, `stale`); any other worker is `worker`; without one, no bytes on the
 * wire is `http-cache` and anything else the network (a 304 included). `http-cache` is the
 * browser's caches as a whole: resource timing does not tell its HTTP cache from the renderer's
 * memory cache of images, which on a reload may answer before any worker is asked.
 */
export function imageSource(timing: ImageTiming): string {
  const ours = timing.serverTiming.find((entry) => entry.name === OURS_SERVER_TIMING);
  if (ours !== undefined) return `ours:${ours.description}`;
  if (timing.workerStart > 0) return "worker";
  return timing.transferSize === 0 ? "http-cache" : "network";
}

/**
 * What a page does with its pictures: one `<img>` element per URL, all inserted at once, done
 * when each has fired `load` (or `error`). The page's own requests, so a controlling worker sees
 * them and otherwise the browser's HTTP cache answers. Notes count `from:<source>` per image.
 */
export async function loadImages(request: RunRequest): Promise<LoadOutcome> {
  const outcome: LoadOutcome = { loaded: 0, failed: 0, revSum: 0, bytes: 0, notes: {} };
  // The default buffer keeps 250 entries; every image's is wanted.
  performance.clearResourceTimings();
  performance.setResourceTimingBufferSize(request.urls.length + 100);
  const holder = document.createElement("div");
  const loads = request.urls.map((url) => {
    const image = new Image();
    const settled = new Promise<void>((resolve) => {
      image.onload = () => {
        outcome.loaded++;
        resolve();
      };
      image.onerror = () => {
        outcome.failed++;
        resolve();
      };
    });
    image.src = url;
    holder.append(image);
    return settled;
  });
  document.body.append(holder);
  await Promise.all(loads);
  const notes = outcome.notes as Record<string, number>;
  for (const url of request.urls) {
    const entries = performance.getEntriesByName(url, "resource") as PerformanceResourceTiming[];
    const last = entries[entries.length - 1];
    const key = `from:${last === undefined ? "no-timing" : imageSource(last)}`;
    notes[key] = (notes[key] ?? 0) + 1;
  }
  holder.remove();
  return outcome;
}
