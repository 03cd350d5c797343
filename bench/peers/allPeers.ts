import { oursInPage, oursServiceWorker } from "./ours.js";
import type { PeerDescriptor } from "./PeerDescriptor.js";
import { pixiAssets } from "./pixi.js";
import { plainFetch, plainFetchPool6 } from "./plainFetch.js";
import { workboxCacheFirst, workboxStaleWhileRevalidate } from "./workbox.js";

/** Every peer, baseline first, in the order they run and are reported. */
export const ALL_PEERS: readonly PeerDescriptor[] = [
  plainFetch,
  plainFetchPool6,
  workboxCacheFirst,
  workboxStaleWhileRevalidate,
  pixiAssets,
  oursServiceWorker,
  oursInPage,
];
