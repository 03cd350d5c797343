import type { AssetServer, Manifest } from "../src/index.js";
import type { AssetTracker } from "./AssetTracker.js";
import { originBase } from "./originClient.js";

export const PKG_BASE = "pkg://game/";
export const PKG_MANIFEST = `${PKG_BASE}manifest.json`;
/** The one manifest the loading screen follows: the package's entries and the origin's, together. */
export const BOOT_MANIFEST = "mem://boot-manifest.json";

export function originManifestUrl(): string {
  return `${originBase()}manifest.json`;
}

type Entry = Manifest["assets"][number];

/** The manifest's entries with their uris made absolute, so they can be listed in another manifest. */
function absoluteEntries(manifest: unknown, manifestUri: string): Entry[] {
  const assets = (manifest as Partial<Manifest> | null)?.assets;
  if (!Array.isArray(assets)) throw new Error(`${manifestUri} has no "assets" list`);
  return assets.map((entry) => (typeof entry === "string" ? new URL(entry, manifestUri).href : { ...entry, uri: new URL(entry.uri, manifestUri).href }));
}

/**
 * Reads the game package's manifest and the demo origin's, and writes one manifest listing both
 * to `mem://`, so a single batch (one bar, one count) covers everything. The origin's part is
 * optional: offline on a first visit the game still starts, with fallbacks.
 */
export async function prepareBootManifest(server: AssetServer, tracker: AssetTracker): Promise<{ originEntries: number }> {
  const [pkg, origin] = await Promise.allSettled([
    tracker.trackHandle(server.load<Manifest>(PKG_MANIFEST)).result(),
    tracker.trackHandle(server.load<Manifest>(originManifestUrl())).result(),
  ]);
  if (pkg.status === "rejected") throw pkg.reason;
  const originEntries = origin.status === "fulfilled" ? absoluteEntries(origin.value, originManifestUrl()) : [];
  server.mem.set(BOOT_MANIFEST, { assets: [...absoluteEntries(pkg.value, PKG_MANIFEST), ...originEntries] });
  return { originEntries: originEntries.length };
}
