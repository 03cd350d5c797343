import type { PeerDescriptor } from "./PeerDescriptor.js";

// Ours reaches its worker by messages, not by intercepting the page's fetches, so it needs an
// active worker rather than a controlled page.
export const oursServiceWorker: PeerDescriptor = {
  id: "ours-sw",
  label: "ours (Service Worker)",
  colour: "#0072B2",
  pageDir: "ours",
  page: "/ours/index.html?backend=service-worker",
  needsController: false,
  isOurs: true,
  throughWorker: true,
};

export const oursInPage: PeerDescriptor = {
  id: "ours-in-page",
  label: "ours (in-page)",
  colour: "#56B4E9",
  pageDir: "ours",
  page: "/ours/index.html?backend=in-page",
  needsController: false,
  isOurs: true,
};
