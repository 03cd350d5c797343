/** A level as the JSON file describes it (see `scripts/generate-demo-assets.mjs`). */
export interface LevelData {
  name: string;
  tileSize: number;
  /** Tile character → tile image name (`tiles/<name>.png`). `.` is empty. */
  legend: Record<string, string>;
  solid: string[];
  /** Platforms you can jump through from below. */
  oneWay: string[];
  rows: string[];
  spawn: Point;
  goal: Point;
  coins: Point[];
  gems: (Point & { kind: string })[];
  slimes: (Point & { range: number })[];
}

export interface Point {
  x: number;
  y: number;
}

/** The level's tiles, with the collision queries the game asks. Coordinates in tiles. */
export class Level {
  readonly width: number;
  readonly height: number;
  private readonly solid: Set<string>;
  private readonly oneWay: Set<string>;

  constructor(readonly data: LevelData) {
    this.width = Math.max(...data.rows.map((row) => row.length));
    this.height = data.rows.length;
    this.solid = new Set(data.solid);
    this.oneWay = new Set(data.oneWay);
  }

  tileAt(tx: number, ty: number): string {
    if (tx < 0 || tx >= this.width) return "#"; // the level's sides are walls
    return this.data.rows[ty]?.[tx] ?? ".";
  }

  isSolid(tx: number, ty: number): boolean {
    const tile = this.tileAt(tx, ty);
    return tile === "#" || this.solid.has(tile);
  }

  isOneWay(tx: number, ty: number): boolean {
    return this.oneWay.has(this.tileAt(tx, ty));
  }
}

/** Checks the shape of level JSON so a broken file fails with a message, not a crash mid-frame. */
export function parseLevel(json: unknown): Level {
  const data = json as Partial<LevelData> | null;
  const isPoint = (p: unknown): p is Point => typeof p === "object" && p !== null && Number.isFinite((p as Point).x) && Number.isFinite((p as Point).y);
  if (
    !data ||
    typeof data.tileSize !== "number" ||
    !Array.isArray(data.rows) ||
    !data.rows.every((row) => typeof row === "string") ||
    typeof data.legend !== "object" ||
    !Array.isArray(data.solid) ||
    !Array.isArray(data.oneWay) ||
    !isPoint(data.spawn) ||
    !isPoint(data.goal) ||
    !Array.isArray(data.coins) ||
    !data.coins.every(isPoint) ||
    !Array.isArray(data.gems) ||
    !Array.isArray(data.slimes)
  ) {
    throw new Error("the level file does not have the expected shape");
  }
  return new Level({ name: data.name ?? "Untitled", ...data } as LevelData);
}
