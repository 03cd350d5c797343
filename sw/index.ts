export { installAssetWorker } from "./installAssetWorker";
export type { AssetWorkerOptions, PrecacheEntry } from "./installAssetWorker";
