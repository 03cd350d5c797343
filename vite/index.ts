// `simvx-assets/vite`: the Vite plugin. Every export is named on purpose: no `export *`.
export { simvxAssets, PKG_CHANGED_EVENT } from "./simvxAssets.js";
export type { SimvxAssetsOptions, PkgChangedPayload } from "./simvxAssets.js";
export { assetWorkerPlugin } from "./assetWorkerPlugin.js";
export type { AssetWorkerPluginOptions } from "./assetWorkerPlugin.js";
