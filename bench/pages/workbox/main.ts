import { fetchAllAtOnce } from "../shared/fetchAssets.js";
import { installBench } from "../shared/installBench.js";
import { loadImages } from "../shared/loadImages.js";
import { registerWorker } from "../shared/registerWorker.js";

// One page for both strategies; the worker reads the same query parameter.
const strategy = new URL(location.href).searchParams.get("strategy") ?? "cache-first";

// A Workbox user writes the same `Promise.all` as a plain-fetch user: Workbox intercepts the
// page's fetches and has no loader of its own, so the page's code is the baseline's, and the rows
// differ only by the worker in between. A 6-slot pool here would slow Workbox by a limit its
// users do not write, and flatter ours on the warm target (≤ 0.3× Workbox CacheFirst).
installBench(`workbox-${strategy}`, {
  setup: () => registerWorker(`/workbox-sw.js?strategy=${encodeURIComponent(strategy)}`),
  // Its route covers `<img>` requests too: the page's elements are answered from Cache Storage.
  load: (request) => (request.kind === "image" ? loadImages(request) : fetchAllAtOnce(request)),
});
