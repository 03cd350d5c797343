import type { Input } from "./Input.js";
import type { Level } from "./Level.js";

const GRAVITY = 900;
const JUMP_SPEED = 310;
const RUN_SPEED = 95;
const ACCELERATION = 900;
const MAX_FALL = 420;
const COYOTE_S = 0.08;
const JUMP_BUFFER_S = 0.12;

/** Hitbox inside the 16×16 sprite. */
export const HITBOX = { offsetX: 3, offsetY: 2, width: 10, height: 14 };

/** The hero: position is the sprite's top-left corner, in pixels. */
export class Player {
  x = 0;
  y = 0;
  vx = 0;
  vy = 0;
  onGround = false;
  facing: 1 | -1 = 1;
  private sinceGround = 0;
  private sinceJumpPressed = Number.POSITIVE_INFINITY;
  /** Seconds of invulnerability left after a hit. */
  invulnerable = 0;
  /** The frame jumped, for the sound. */
  jumped = false;

  constructor(private readonly level: Level) {}

  placeAt(tx: number, ty: number): void {
    const size = this.level.data.tileSize;
    this.x = tx * size;
    this.y = ty * size;
    this.vx = 0;
    this.vy = 0;
  }

  update(dt: number, input: Input): void {
    const direction = (input.isHeld("right") ? 1 : 0) - (input.isHeld("left") ? 1 : 0);
    if (direction !== 0) this.facing = direction as 1 | -1;
    const target = direction * RUN_SPEED;
    const step = ACCELERATION * dt * (this.onGround ? 1 : 0.7);
    this.vx = this.vx < target ? Math.min(target, this.vx + step) : Math.max(target, this.vx - step);

    this.sinceGround = this.onGround ? 0 : this.sinceGround + dt;
    this.sinceJumpPressed = input.wasPressed("jump") ? 0 : this.sinceJumpPressed + dt;
    this.jumped = false;
    if (this.sinceJumpPressed <= JUMP_BUFFER_S && this.sinceGround <= COYOTE_S) {
      this.vy = -JUMP_SPEED;
      this.sinceGround = COYOTE_S + 1;
      this.sinceJumpPressed = Number.POSITIVE_INFINITY;
      this.jumped = true;
    }
    // Releasing jump early cuts the jump short: the player controls its height.
    if (!input.isHeld("jump") && this.vy < -JUMP_SPEED * 0.45) this.vy = -JUMP_SPEED * 0.45;
    this.vy = Math.min(MAX_FALL, this.vy + GRAVITY * dt);
    this.invulnerable = Math.max(0, this.invulnerable - dt);

    this.moveX(this.vx * dt);
    this.moveY(this.vy * dt);
  }

  /** Bounce up (after stomping on something). */
  bounce(): void {
    this.vy = -JUMP_SPEED * 0.7;
  }

  knockBack(fromX: number): void {
    this.vx = this.x < fromX ? -140 : 140;
    this.vy = -180;
    this.invulnerable = 1.2;
  }

  get box(): { left: number; top: number; right: number; bottom: number } {
    const left = this.x + HITBOX.offsetX;
    const top = this.y + HITBOX.offsetY;
    return { left, top, right: left + HITBOX.width, bottom: top + HITBOX.height };
  }

  private moveX(dx: number): void {
    this.x += dx;
    const size = this.level.data.tileSize;
    const { left, top, right, bottom } = this.box;
    const rows = [Math.floor(top / size), Math.floor((bottom - 0.01) / size)];
    if (dx > 0) {
      const column = Math.floor((right - 0.01) / size);
      if (rows.some((row) => this.level.isSolid(column, row))) {
        this.x = column * size - HITBOX.width - HITBOX.offsetX;
        this.vx = 0;
      }
    } else if (dx < 0) {
      const column = Math.floor(left / size);
      if (rows.some((row) => this.level.isSolid(column, row))) {
        this.x = (column + 1) * size - HITBOX.offsetX;
        this.vx = 0;
      }
    }
  }

  private moveY(dy: number): void {
    const size = this.level.data.tileSize;
    const previousBottom = this.box.bottom;
    this.y += dy;
    const { left, top, right, bottom } = this.box;
    const columns = [Math.floor(left / size), Math.floor((right - 0.01) / size)];
    this.onGround = false;
    if (dy > 0) {
      const row = Math.floor(bottom / size);
      const landsOnPlatform = columns.some((column) => this.level.isOneWay(column, row)) && previousBottom <= row * size + 0.01;
      if (columns.some((column) => this.level.isSolid(column, row)) || landsOnPlatform) {
        this.y = row * size - HITBOX.height - HITBOX.offsetY;
        this.vy = 0;
        this.onGround = true;
      }
    } else if (dy < 0) {
      const row = Math.floor(top / size);
      if (columns.some((column) => this.level.isSolid(column, row))) {
        this.y = (row + 1) * size - HITBOX.offsetY;
        this.vy = 0;
      }
    }
  }
}
