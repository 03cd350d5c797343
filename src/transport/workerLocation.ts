/**
 * The worker's script and scope. A game served from a sub-path (`/games/dusk/`) is controlled by a
 * worker at `/games/dusk/asset-sw.js` with that scope (issue 12); a fixed `/` scope would need the
 * server's `Service-Worker-Allowed` header, which a static host does not send.
 * @param base the app's base URL (`appBaseUrl()`), or null for the page's origin root.
 */
export function workerLocation(url: string | null, base: string | null, page: string = globalThis.location?.href ?? "http://localhost/"): { scriptUrl: string; scope: string } {
  const root = base ?? new URL("/", page).href;
  const scriptUrl = new URL(url ?? "asset-sw.js", root).href;
  const scope = scriptUrl.startsWith(root) ? root : new URL("./", scriptUrl).href;
  return { scriptUrl, scope };
}
