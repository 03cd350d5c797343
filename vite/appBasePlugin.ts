import type { Plugin } from "vite";
import { APP_BASE_META } from "../src/kernel/pluginContract.js";

/**
 * Tells the page the app's base (Vite's `base`: `/`, `/games/dusk/`, `./`) in a
 * `<meta name="simvx-assets-base">`, so the library registers its worker and finds the pkg index
 * under it, from any page of the app (issue 12: sub-path hosting).
 */
export function appBasePlugin(): Plugin {
  let base = "/";
  return {
    name: "simvx-assets:app-base",
    configResolved(config) {
      base = config.base;
    },
    transformIndexHtml() {
      return [{ tag: "meta", attrs: { name: APP_BASE_META, content: base }, injectTo: "head-prepend" }];
    },
  };
}
