import { fetchAllAtOnce, fetchInPool } from "../shared/fetchAssets.js";
import { installBench } from "../shared/installBench.js";

// One page for both schedules; `?schedule=pool` is the second row, the rest the baseline.
const pooled = new URL(location.href).searchParams.get("schedule") === "pool";

installBench(pooled ? "plain-fetch-pool6" : "plain-fetch", {
  setup: async () => undefined,
  load: (request) => (pooled ? fetchInPool(request) : fetchAllAtOnce(request)),
});
