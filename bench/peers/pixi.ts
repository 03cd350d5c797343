import type { PeerDescriptor } from "./PeerDescriptor";

export const pixiAssets: PeerDescriptor = {
  id: "pixi-assets",
  label: "PixiJS Assets",
  pageDir: "pixi",
  page: "/pixi/index.html",
  needsController: false,
};
