import type { BatchHandle, Handle } from "../src/index.js";

/**
 * The loaded assets by short key: `sprites/hero-idle-0.png` for `pkg://game/…`, `origin/gems/ruby.png`
 * for the demo origin. A missing or failed asset reads as `null`, so the game can draw a fallback.
 */
export class GameAssets {
  private readonly values = new Map<string, unknown>();

  constructor(
    private readonly pkgBase: string,
    private readonly originBase: string,
  ) {}

  keyOf(uri: string): string {
    if (uri.startsWith(this.pkgBase)) return decodeURIComponent(uri.slice(this.pkgBase.length));
    if (uri.startsWith(this.originBase)) return `origin/${decodeURIComponent(uri.slice(this.originBase.length))}`;
    return uri;
  }

  /** Takes every loaded child of `batch` (a later load of the same asset replaces the earlier value). */
  addBatch(batch: BatchHandle): void {
    for (const handle of batch.handles) this.addHandle(handle);
  }

  addHandle(handle: Handle): void {
    if (handle.state === "loaded") this.values.set(this.keyOf(handle.absoluteUri), handle.value);
  }

  has(key: string): boolean {
    return this.values.has(key);
  }

  image(key: string): ImageBitmap | null {
    const value = this.values.get(key);
    return typeof ImageBitmap !== "undefined" && value instanceof ImageBitmap ? value : null;
  }

  json(key: string): unknown {
    return this.values.get(key) ?? null;
  }

  text(key: string): string | null {
    const value = this.values.get(key);
    return typeof value === "string" ? value : null;
  }

  bytes(key: string): Uint8Array | null {
    const value = this.values.get(key);
    return value instanceof Uint8Array ? value : null;
  }

  /** Keys below a folder, sorted: `keysUnder("sprites/coin-")`. */
  keysUnder(prefix: string): string[] {
    return [...this.values.keys()].filter((key) => key.startsWith(prefix)).sort();
  }
}
