import type { PeerDescriptor } from "./PeerDescriptor.js";

export const workboxCacheFirst: PeerDescriptor = {
  id: "workbox-cache-first",
  label: "Workbox CacheFirst",
  colour: "#E69F00",
  pageDir: "workbox",
  page: "/workbox/index.html?strategy=cache-first",
  needsController: true,
};

export const workboxStaleWhileRevalidate: PeerDescriptor = {
  id: "workbox-swr",
  label: "Workbox StaleWhileRevalidate",
  colour: "#CC79A7",
  pageDir: "workbox",
  page: "/workbox/index.html?strategy=stale-while-revalidate",
  needsController: true,
};
