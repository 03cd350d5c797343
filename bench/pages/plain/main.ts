import { fetchAllAtOnce, fetchInPool } from "../shared/fetchAssets.js";
import { installBench } from "../shared/installBench.js";
import { loadImages } from "../shared/loadImages.js";

// One page for both schedules; `?schedule=pool` is the second row, the rest the baseline.
const pooled = new URL(location.href).searchParams.get("schedule") === "pool";

installBench(pooled ? "plain-fetch-pool6" : "plain-fetch", {
  setup: async () => undefined,
  // Pictures are the page's own `<img>` elements, left to the browser and its HTTP cache.
  load: (request) => (request.kind === "image" ? loadImages(request) : pooled ? fetchInPool(request) : fetchAllAtOnce(request)),
});
