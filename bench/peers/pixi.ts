import type { PeerDescriptor } from "./PeerDescriptor";

export const pixiAssets: PeerDescriptor = {
  id: "pixi-assets",
  label: "PixiJS Assets",
  colour: "#009E73",
  pageDir: "pixi",
  page: "/pixi/index.html",
  needsController: false,
};
