import type { PeerDescriptor } from "./PeerDescriptor";

export const workboxCacheFirst: PeerDescriptor = {
  id: "workbox-cache-first",
  label: "Workbox CacheFirst",
  pageDir: "workbox",
  page: "/workbox/index.html?strategy=cache-first",
  needsController: true,
};

export const workboxStaleWhileRevalidate: PeerDescriptor = {
  id: "workbox-swr",
  label: "Workbox StaleWhileRevalidate",
  pageDir: "workbox",
  page: "/workbox/index.html?strategy=stale-while-revalidate",
  needsController: true,
};
