import type { PeerDescriptor } from "./PeerDescriptor.js";

export const plainFetch: PeerDescriptor = {
  id: "plain-fetch",
  label: "plain fetch",
  colour: "#8c8c8c",
  pageDir: "plain",
  page: "/plain/index.html",
  needsController: false,
  isBaseline: true,
};
