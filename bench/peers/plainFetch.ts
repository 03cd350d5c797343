import type { PeerDescriptor } from "./PeerDescriptor";

export const plainFetch: PeerDescriptor = {
  id: "plain-fetch",
  label: "plain fetch",
  pageDir: "plain",
  page: "/plain/index.html",
  needsController: false,
  isBaseline: true,
};
