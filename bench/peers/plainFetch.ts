import type { PeerDescriptor } from "./PeerDescriptor.js";

/** `Promise.all` over every URL, the browser scheduling: what a user compares against. */
export const plainFetch: PeerDescriptor = {
  id: "plain-fetch",
  label: "plain fetch",
  colour: "#8c8c8c",
  pageDir: "plain",
  page: "/plain/index.html",
  needsController: false,
  isBaseline: true,
};

/** The hand-rolled pool the benchmark used as its baseline before: 6 requests in flight (`BenchConfig.concurrency`). */
export const plainFetchPool6: PeerDescriptor = {
  id: "plain-fetch-pool6",
  label: "plain fetch, pool of 6",
  colour: "#000000",
  pageDir: "plain",
  page: "/plain/index.html?schedule=pool",
  needsController: false,
};
