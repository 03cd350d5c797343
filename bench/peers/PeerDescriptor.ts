export interface PeerDescriptor {
  id: string;
  label: string;
  /** Bar colour in the chart (Okabe–Ito palette, readable with colour-blindness), fixed per peer. */
  colour: string;
  /** Folder of its page under bench/pages/ (what must be built). */
  pageDir: "plain" | "workbox" | "pixi" | "ours";
  /** Page path (and query) on the peer's own origin. */
  page: string;
  /** A Service Worker must control the page for the measurement to mean anything. */
  needsController: boolean;
  /** The baseline every ratio is taken against. */
  isBaseline?: boolean;
  isOurs?: boolean;
  /** Ours loading through its Service Worker: the row the "through the worker" targets are read off. */
  throughWorker?: boolean;
}
