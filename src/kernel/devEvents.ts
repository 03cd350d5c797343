/**
 * The window event through which the Vite plugin's dev client tells the page that a file of a pkg
 * folder was saved (`detail`: its `pkg://` uri). Every `AssetServer` in the page drops its copies
 * and fires `assetChanged`.
 */
export const ASSET_CHANGED_EVENT = "simvx-assets:asset-changed";
