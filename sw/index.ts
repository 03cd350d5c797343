export { installAssetWorker } from "./installAssetWorker.js";
export type { AssetWorkerOptions, PrecacheEntry } from "./installAssetWorker.js";
export type { InterceptRule } from "./PageRequestRouter.js";
