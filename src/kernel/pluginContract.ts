// What the Vite plugin and the page agree on: the names the plugin writes and the page reads.

/**
 * The window event through which the Vite plugin's dev client tells the page that a file of a pkg
 * folder was saved (`detail`: its `pkg://` uri). Every `AssetServer` in the page drops its copies
 * and fires `assetChanged`.
 */
export const ASSET_CHANGED_EVENT = "simvx-assets:asset-changed";

/**
 * Where pkg files have a URL that does not change with their content, below the app's base:
 * `<base>@simvx-pkg/<package>/<path>`. The dev server serves them there; in a build the asset
 * worker maps it to the content-hashed file the pkg:// index names (`server.urlOf` gives it
 * before the index has loaded).
 */
export const PKG_STABLE_PREFIX = "@simvx-pkg/";

/** The `<meta name>` through which the Vite plugin tells the page the app's base URL (Vite's `base`). */
export const APP_BASE_META = "simvx-assets-base";
