import type { PeerDescriptor } from "./PeerDescriptor.js";

export const pixiAssets: PeerDescriptor = {
  id: "pixi-assets",
  label: "PixiJS Assets",
  colour: "#009E73",
  pageDir: "pixi",
  page: "/pixi/index.html",
  needsController: false,
};
