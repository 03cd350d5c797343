// `simvx-assets/vite`: the Vite plugin. Every export is named on purpose (see STYLE.md).
export { simvxAssets, PKG_CHANGED_EVENT } from "./simvxAssets.js";
export type { SimvxAssetsOptions, PkgChangedPayload } from "./simvxAssets.js";
export { assetWorkerPlugin } from "./assetWorkerPlugin.js";
export type { AssetWorkerPluginOptions } from "./assetWorkerPlugin.js";
