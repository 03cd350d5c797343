import { fetchAssets } from "../shared/fetchAssets";
import { installBench } from "../shared/installBench";

installBench("plain-fetch", {
  setup: async () => undefined,
  load: (request) => fetchAssets(request),
});
