import type { GameAssets } from "./GameAssets.js";
import type { Level } from "./Level.js";

export const VIEW_WIDTH = 384;
export const VIEW_HEIGHT = 216;

/** Draws `image` at whole pixels (mirrored when `flip`), or a "missing texture" square if it failed to load. */
export function drawSprite(ctx: CanvasRenderingContext2D, image: ImageBitmap | null, x: number, y: number, flip = false): void {
  const px = Math.round(x);
  const py = Math.round(y);
  if (!image) {
    ctx.fillStyle = "#ff00ff";
    ctx.fillRect(px, py, 16, 16);
    ctx.fillStyle = "#000000";
    ctx.fillRect(px, py, 8, 8);
    ctx.fillRect(px + 8, py + 8, 8, 8);
    return;
  }
  if (!flip) {
    ctx.drawImage(image, px, py);
    return;
  }
  ctx.save();
  ctx.translate(px + image.width, py);
  ctx.scale(-1, 1);
  ctx.drawImage(image, 0, 0);
  ctx.restore();
}

/** A layer as wide as the view, repeated horizontally, scrolled by `offset` pixels. */
function drawWrapped(ctx: CanvasRenderingContext2D, image: ImageBitmap | null, offset: number, y: number): void {
  if (!image) return;
  const start = -(((Math.round(offset) % image.width) + image.width) % image.width);
  for (let x = start; x < VIEW_WIDTH; x += image.width) ctx.drawImage(image, x, y);
}

/** Sky, then the origin's clouds and two hill layers, each scrolling slower the farther it is. */
export function drawBackground(ctx: CanvasRenderingContext2D, assets: GameAssets, cameraX: number, time: number): void {
  const sky = assets.image("backgrounds/sky.png");
  if (sky) ctx.drawImage(sky, 0, 0);
  else {
    ctx.fillStyle = "#2a1f5c";
    ctx.fillRect(0, 0, VIEW_WIDTH, VIEW_HEIGHT);
  }
  drawWrapped(ctx, assets.image("origin/backgrounds/clouds.png"), cameraX * 0.1 + time * 4, 4);
  drawWrapped(ctx, assets.image("backgrounds/mountains.png"), cameraX * 0.25, 0);
  drawWrapped(ctx, assets.image("backgrounds/hills.png"), cameraX * 0.5, 0);
}

/** The visible columns of the level's tiles. */
export function drawTiles(ctx: CanvasRenderingContext2D, assets: GameAssets, level: Level, cameraX: number, offsetY: number): void {
  const size = level.data.tileSize;
  const first = Math.max(0, Math.floor(cameraX / size));
  const last = Math.min(level.width - 1, Math.floor((cameraX + VIEW_WIDTH) / size));
  for (let ty = 0; ty < level.height; ty++) {
    for (let tx = first; tx <= last; tx++) {
      const tile = level.tileAt(tx, ty);
      const name = level.data.legend[tile];
      if (!name) continue;
      drawSprite(ctx, assets.image(`tiles/${name}.png`), tx * size - cameraX, ty * size + offsetY);
    }
  }
}
