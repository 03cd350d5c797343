import { createHash, randomBytes } from "node:crypto";
import type { TestAssetOptions, TestOrigin } from "../../test/support/engine/testOrigin.js";
import type { TestPage } from "../engines/TestPage.js";

/** One asset put on the test origin, with what a test needs to check it came back whole. */
export interface PlacedAsset {
  path: string;
  size: number;
  sha256: string;
}

/**
 * Puts `count` assets of random (incompressible) bytes on `origin` at `${prefix}/asset-N.bin`,
 * sized between `minBytes` and `maxBytes`.
 */
export function placeAssets(
  origin: TestOrigin,
  prefix: string,
  count: number,
  minBytes: number,
  maxBytes: number,
  options: (index: number) => TestAssetOptions = () => ({}),
): PlacedAsset[] {
  return Array.from({ length: count }, (_, index) => {
    const size = minBytes + Math.floor(((maxBytes - minBytes) * index) / Math.max(1, count - 1));
    const bytes = randomBytes(size);
    const path = `${prefix}/asset-${index}.bin`;
    // No ranges: these batches count requests per asset, and a browser's HTTP cache would complete
    // a faulted (truncated, stalled) entry with range requests of its own.
    origin.setAsset(path, bytes, { ranges: false, ...options(index) });
    return { path, size, sha256: createHash("sha256").update(bytes).digest("hex") };
  });
}

/** Reloads the test page (a normal reload: the worker keeps control) and waits until it is ready and controlled. */
export async function reloadControlled(page: TestPage): Promise<void> {
  await page.reload();
  await page.waitForFunction(() => document.getElementById("status")?.textContent === "ready");
  await page.evaluate(() => window.simvx.waitForControl());
}

/** Opens the test page with AssetServer options in the query and waits until a worker controls it. */
export async function openControlled(page: TestPage, pageOrigin: string, query: Record<string, string | number> = {}): Promise<void> {
  const params = new URLSearchParams({ backend: "auto", ...Object.fromEntries(Object.entries(query).map(([key, value]) => [key, String(value)])) });
  await page.goto(`${pageOrigin}/index.html?${params}`);
  await page.waitForFunction(() => document.getElementById("status")?.textContent === "ready");
  await page.evaluate(() => window.simvx.waitForControl());
}

/** How many requests the origin saw per path, for the report. */
export function requestHistogram(byPath: Record<string, number>, paths: readonly string[]): Record<number, number> {
  const histogram: Record<number, number> = {};
  for (const path of paths) {
    const count = byPath[path] ?? 0;
    histogram[count] = (histogram[count] ?? 0) + 1;
  }
  return histogram;
}
