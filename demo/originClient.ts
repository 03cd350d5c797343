import type { DemoOriginStats } from "./server/DemoOrigin.js";

/** The demo origin's base URL (`<document base>demo-origin/`). */
export function originBase(): string {
  return new URL("demo-origin/", document.baseURI).href;
}

/** Asks the demo origin to publish a new version of one file (its news). */
export async function deployOnOrigin(): Promise<{ deploy: number; changed: string[] }> {
  const response = await fetch(`${originBase()}__deploy`, { method: "POST", cache: "no-store" });
  if (!response.ok) throw new Error(`deploy failed: HTTP ${response.status}`);
  return (await response.json()) as { deploy: number; changed: string[] };
}

/** What the origin has sent so far: full responses and 304s, per file. */
export async function originStats(): Promise<DemoOriginStats> {
  const response = await fetch(`${originBase()}__stats`, { cache: "no-store" });
  if (!response.ok) throw new Error(`stats failed: HTTP ${response.status}`);
  return (await response.json()) as DemoOriginStats;
}
