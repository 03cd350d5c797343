import { fetchAssets } from "../shared/fetchAssets.js";
import { installBench } from "../shared/installBench.js";

installBench("plain-fetch", {
  setup: async () => undefined,
  load: (request) => fetchAssets(request),
});
