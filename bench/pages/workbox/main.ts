import { fetchAssets } from "../shared/fetchAssets.js";
import { installBench } from "../shared/installBench.js";
import { registerWorker } from "../shared/registerWorker.js";

// One page for both strategies; the worker reads the same query parameter.
const strategy = new URL(location.href).searchParams.get("strategy") ?? "cache-first";

installBench(`workbox-${strategy}`, {
  setup: () => registerWorker(`/workbox-sw.js?strategy=${encodeURIComponent(strategy)}`),
  load: (request) => fetchAssets(request),
});
