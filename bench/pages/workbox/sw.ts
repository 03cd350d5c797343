/// <reference lib="webworker" />
import { CacheFirst, StaleWhileRevalidate, type Strategy } from "workbox-strategies";

declare const self: ServiceWorkerGlobalScope;

// The hand-rolled Workbox setup a game would write: one runtime strategy for its asset folder.
const ASSET_PATH = "/assets/";
const strategyName = new URL(self.location.href).searchParams.get("strategy");
const strategy: Strategy =
  strategyName === "stale-while-revalidate"
    ? new StaleWhileRevalidate({ cacheName: "bench-assets" })
    : new CacheFirst({ cacheName: "bench-assets" });

self.addEventListener("install", () => {
  void self.skipWaiting();
});
self.addEventListener("activate", (event) => {
  event.waitUntil(self.clients.claim());
});
self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  // The asset folder on any origin: the HTTP/2 scenario serves it from a second origin, as a game
  // on a CDN would, and a Workbox user routes that origin's assets the same way.
  if (event.request.method !== "GET" || !url.pathname.startsWith(ASSET_PATH)) return;
  event.respondWith(strategy.handle({ event, request: event.request }));
});
