import { oursInPage, oursServiceWorker } from "./ours";
import type { PeerDescriptor } from "./PeerDescriptor";
import { pixiAssets } from "./pixi";
import { plainFetch } from "./plainFetch";
import { workboxCacheFirst, workboxStaleWhileRevalidate } from "./workbox";

/** Every peer, baseline first, in the order they run and are reported. */
export const ALL_PEERS: readonly PeerDescriptor[] = [
  plainFetch,
  workboxCacheFirst,
  workboxStaleWhileRevalidate,
  pixiAssets,
  oursServiceWorker,
  oursInPage,
];
