import { APP_BASE_META } from "../kernel/pluginContract.js";

/**
 * The app's base URL, absolute, ending in `/`: from the plugin's `<meta name="simvx-assets-base">`
 * (resolved against the document, so `./` works), or null where there is none (no document, no
 * plugin). A game served from a sub-path (`/games/dusk/`) registers its worker and finds its pkg
 * index there, whatever page of the app is open.
 */
export function appBaseUrl(): string | null {
  const doc = (globalThis as { document?: Document }).document;
  const content = doc?.querySelector?.(`meta[name="${APP_BASE_META}"]`)?.getAttribute("content");
  if (!doc || content === null || content === undefined || content === "") return null;
  try {
    const url = new URL(content, doc.baseURI);
    if (!url.pathname.endsWith("/")) url.pathname += "/";
    url.search = "";
    url.hash = "";
    return url.href;
  } catch {
    return null;
  }
}
