import { drawBackground, drawSprite, drawTiles, VIEW_HEIGHT, VIEW_WIDTH } from "./drawWorld.js";
import type { GameAssets } from "./GameAssets.js";
import type { Hud } from "./Hud.js";
import type { Input } from "./Input.js";
import type { Level } from "./Level.js";
import { Player } from "./Player.js";
import type { SoundBank } from "./SoundBank.js";

interface Pickup {
  x: number;
  y: number;
  taken: boolean;
}

interface Slime {
  x: number;
  y: number;
  minX: number;
  maxX: number;
  direction: 1 | -1;
  squashedFor: number;
  alive: boolean;
}

interface Sparkle {
  x: number;
  y: number;
  age: number;
  color: string;
}

const MAX_HEARTS = 3;
const SLIME_SPEED = 22;

/** The playable level: runs on `requestAnimationFrame`, drawing into a 384×216 canvas. */
export class GameScene {
  private readonly ctx: CanvasRenderingContext2D;
  private readonly player: Player;
  private coins: Pickup[] = [];
  private gems: (Pickup & { kind: string })[] = [];
  private slimes: Slime[] = [];
  private sparkles: Sparkle[] = [];
  private hearts = MAX_HEARTS;
  private cameraX = 0;
  private time = 0;
  private won = false;
  private running = false;
  private lastFrame = 0;
  /** Called after each frame is drawn (the CRT filter copies the canvas then). */
  afterRender: ((canvas: HTMLCanvasElement, time: number) => void) | null = null;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly level: Level,
    private readonly assets: GameAssets,
    private readonly hud: Hud,
    private readonly sounds: SoundBank,
    private readonly input: Input,
  ) {
    this.ctx = canvas.getContext("2d")!;
    this.ctx.imageSmoothingEnabled = false;
    this.player = new Player(level);
    this.reset();
  }

  reset(): void {
    const size = this.level.data.tileSize;
    const { data } = this.level;
    this.player.placeAt(data.spawn.x, data.spawn.y);
    this.player.invulnerable = 0;
    this.coins = data.coins.map((c) => ({ x: c.x * size, y: c.y * size, taken: false }));
    this.gems = data.gems.map((g) => ({ x: g.x * size, y: g.y * size, kind: g.kind, taken: false }));
    this.slimes = data.slimes.map((s) => ({ x: s.x * size, y: s.y * size, minX: (s.x - s.range) * size, maxX: (s.x + s.range) * size, direction: 1, squashedFor: 0, alive: true }));
    this.hearts = MAX_HEARTS;
    this.won = false;
    this.hud.hideWin();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const frame = (now: number) => {
      if (!this.running) return;
      const dt = this.lastFrame === 0 ? 1 / 60 : Math.min(0.05, (now - this.lastFrame) / 1000);
      this.lastFrame = now;
      this.update(dt);
      this.render();
      // The scene shows once a frame is drawn, a frame after it starts: tests wait for this mark.
      if (this.ctx.canvas.dataset.firstFrame !== "drawn") this.ctx.canvas.dataset.firstFrame = "drawn";
      this.input.endFrame();
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  }

  stop(): void {
    this.running = false;
  }

  private update(dt: number): void {
    this.time += dt;
    if (this.input.wasPressed("music")) this.sounds.toggleMusic();
    if (this.won) {
      if (this.input.wasPressed("restart") || this.input.wasPressed("jump")) this.reset();
      return;
    }
    if (this.input.wasPressed("restart")) this.reset();
    this.player.update(dt, this.input);
    if (this.player.jumped) this.sounds.play("jump", 0.4);
    this.updateSlimes(dt);
    this.collect();
    this.sparkles = this.sparkles.filter((s) => (s.age += dt) < 0.5);
    const size = this.level.data.tileSize;
    if (this.player.y > this.level.height * size + 32) this.hurt(true);
    const goal = this.level.data.goal;
    if (Math.abs(this.player.x - goal.x * size) < 12 && this.player.y > (goal.y - 2) * size) this.win();
    const target = this.player.x + 8 - VIEW_WIDTH / 2;
    this.cameraX = Math.max(0, Math.min(this.level.width * size - VIEW_WIDTH, this.cameraX + (target - this.cameraX) * Math.min(1, dt * 8)));
    this.hud.update(this.hearts, this.coins.filter((c) => c.taken).length, this.coins.length, this.gems.filter((g) => g.taken).length, this.gems.length);
  }

  private updateSlimes(dt: number): void {
    const box = this.player.box;
    for (const slime of this.slimes) {
      if (!slime.alive) {
        slime.squashedFor += dt;
        continue;
      }
      slime.x += slime.direction * SLIME_SPEED * dt;
      if (slime.x < slime.minX || slime.x > slime.maxX) slime.direction = slime.direction === 1 ? -1 : 1;
      const overlaps = box.right > slime.x + 2 && box.left < slime.x + 14 && box.bottom > slime.y + 6 && box.top < slime.y + 16;
      if (!overlaps) continue;
      if (this.player.vy > 0 && box.bottom < slime.y + 12) {
        slime.alive = false;
        this.player.bounce();
        this.sounds.play("jump", 0.5);
        this.burst(slime.x + 8, slime.y + 10, "#8dff9c");
      } else if (this.player.invulnerable === 0) {
        this.player.knockBack(slime.x + 8);
        this.hurt(false);
      }
    }
  }

  private collect(): void {
    const box = this.player.box;
    const touches = (p: Pickup) => !p.taken && box.right > p.x + 3 && box.left < p.x + 13 && box.bottom > p.y + 3 && box.top < p.y + 13;
    for (const coin of this.coins) {
      if (!touches(coin)) continue;
      coin.taken = true;
      this.sounds.play("coin", 0.5);
      this.burst(coin.x + 8, coin.y + 8, "#ffe066");
    }
    for (const gem of this.gems) {
      if (!touches(gem)) continue;
      gem.taken = true;
      this.sounds.play("coin", 0.7);
      this.burst(gem.x + 8, gem.y + 8, "#ffffff");
      this.hud.showToast(`Found the ${gem.kind}! (served by the demo origin)`);
    }
  }

  private hurt(fell: boolean): void {
    this.hearts -= 1;
    this.sounds.play("hurt", 0.6);
    if (this.hearts <= 0) {
      this.hud.showToast("Out of hearts: back to the start.");
      this.reset();
      return;
    }
    if (fell) {
      const { spawn } = this.level.data;
      this.player.placeAt(spawn.x, spawn.y);
      this.player.invulnerable = 1;
    }
  }

  private win(): void {
    this.won = true;
    this.sounds.play("win", 0.6);
    this.hud.showWin(this.coins.filter((c) => c.taken).length, this.coins.length, this.gems.filter((g) => g.taken).length, this.gems.length, this.assets.text("text/credits.md"));
  }

  private burst(x: number, y: number, color: string): void {
    for (let i = 0; i < 6; i++) this.sparkles.push({ x: x + Math.cos(i) * 2, y: y + Math.sin(i * 1.7) * 2, age: i * -0.02, color });
  }

  private render(): void {
    const { ctx, assets, level, cameraX, time } = this;
    const size = level.data.tileSize;
    const offsetY = VIEW_HEIGHT - level.height * size;
    ctx.clearRect(0, 0, VIEW_WIDTH, VIEW_HEIGHT);
    drawBackground(ctx, assets, cameraX, time);
    drawTiles(ctx, assets, level, cameraX, offsetY);

    const goal = level.data.goal;
    drawSprite(ctx, assets.image("sprites/flag.png"), goal.x * size - cameraX, goal.y * size + offsetY);
    const coinFrame = Math.floor(time * 10) % 6;
    for (const coin of this.coins) if (!coin.taken) drawSprite(ctx, assets.image(`sprites/coin-${coinFrame}.png`), coin.x - cameraX, coin.y + offsetY);
    for (const gem of this.gems) {
      if (!gem.taken) drawSprite(ctx, assets.image(`origin/gems/${gem.kind}.png`), gem.x - cameraX, gem.y + offsetY + Math.sin(time * 3 + gem.x) * 2);
    }
    for (const slime of this.slimes) {
      if (!slime.alive && slime.squashedFor > 0.4) continue;
      const frame = slime.alive ? Math.floor(time * 3 + slime.x * 0.01) % 2 : 1;
      ctx.globalAlpha = slime.alive ? 1 : 1 - slime.squashedFor / 0.4;
      drawSprite(ctx, assets.image(`sprites/slime-${frame}.png`), slime.x - cameraX, slime.y + offsetY, slime.direction < 0);
      ctx.globalAlpha = 1;
    }
    const { player } = this;
    const blinkingOut = player.invulnerable > 0 && Math.floor(time * 20) % 2 === 0;
    if (!blinkingOut) drawSprite(ctx, assets.image(this.heroFrame()), player.x - cameraX, player.y + offsetY, player.facing < 0);
    for (const s of this.sparkles) {
      if (s.age < 0) continue;
      ctx.fillStyle = s.color;
      ctx.globalAlpha = 1 - s.age / 0.5;
      const spread = s.age * 40;
      for (let i = 0; i < 4; i++) ctx.fillRect(Math.round(s.x - cameraX + Math.cos(i * 1.57 + s.age) * spread), Math.round(s.y + offsetY + Math.sin(i * 1.57 + s.age) * spread), 1, 1);
      ctx.globalAlpha = 1;
    }
    this.afterRender?.(this.canvas, time);
  }

  private heroFrame(): string {
    const { player } = this;
    if (!player.onGround) return "sprites/hero-jump.png";
    if (Math.abs(player.vx) > 10) return `sprites/hero-run-${Math.floor(this.time * 12) % 4}.png`;
    return this.time % 3 < 0.15 ? "sprites/hero-idle-1.png" : "sprites/hero-idle-0.png";
  }
}
