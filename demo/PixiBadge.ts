/**
 * One sprite drawn by another engine, PixiJS, from `server.urlOf(...)`: the example of handing our
 * assets to another engine's loader. PixiJS's `Assets.load` fetches the URL itself; the asset worker
 * answers that request from the same store as `load()`, so it works offline too.
 */
export class PixiBadge {
  constructor(
    private readonly host: HTMLElement,
    private readonly url: () => string,
  ) {}

  /**
   * Loads PixiJS (its own chunk) and draws the sprite; a browser without WebGL just shows no badge.
   * The host's `data-badge` then says which ("drawn" or "none"), for tests.
   */
  async start(): Promise<void> {
    try {
      const { Application, Assets, Sprite } = await import("pixi.js");
      // PixiJS fetches textures in a worker of its own by default; from the page, the request is one
      // the asset worker controls in every browser.
      Assets.setPreferences({ preferWorkers: false });
      const app = new Application();
      await app.init({ width: 40, height: 40, backgroundAlpha: 0, preference: "webgl" });
      const texture = await Assets.load(this.url());
      texture.source.scaleMode = "nearest";
      const sprite = new Sprite(texture);
      sprite.anchor.set(0.5);
      sprite.position.set(20, 20);
      sprite.scale.set(32 / Math.max(texture.width, texture.height));
      app.stage.addChild(sprite);
      app.ticker.add((ticker) => (sprite.rotation += 0.02 * ticker.deltaTime));
      app.canvas.className = "pixi-badge";
      app.canvas.title = "Drawn by PixiJS from server.urlOf(\"pkg://game/sprites/flag.png\")";
      this.host.append(app.canvas);
      this.host.dataset.badge = "drawn";
    } catch (error) {
      console.warn(`demo: PixiJS could not draw its badge: ${String(error)}`);
      this.host.dataset.badge = "none";
    }
  }
}
