// `simvx-assets/vite`: the Vite plugin. Every export is named on purpose (see STYLE.md).
export { simvxAssets, PKG_CHANGED_EVENT } from "./simvxAssets";
export type { SimvxAssetsOptions, PkgChangedPayload } from "./simvxAssets";
export { assetWorkerPlugin } from "./assetWorkerPlugin";
export type { AssetWorkerPluginOptions } from "./assetWorkerPlugin";
