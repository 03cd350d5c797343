import { createHash } from "node:crypto";
import type { Rolldown } from "vite";
import type { PrecacheEntry } from "../sw/installAssetWorker.js";

/** What an app needs to start offline: its pages, scripts and styles. */
const APP_SHELL = /\.(?:html|m?js|css)$/i;

/**
 * The app shell of a build, each with a revision taken from its content. URLs are relative to
 * the output root, where the worker script lives, so they resolve whatever the app's `base` is.
 */
export function precacheEntries(bundle: Rolldown.OutputBundle, exclude: ReadonlySet<string>, include: ReadonlySet<string> = new Set()): PrecacheEntry[] {
  const entries: PrecacheEntry[] = [];
  for (const file of Object.values(bundle)) {
    if (!(APP_SHELL.test(file.fileName) || include.has(file.fileName)) || exclude.has(file.fileName)) continue;
    const content = file.type === "chunk" ? file.code : file.source;
    entries.push({ url: file.fileName, revision: createHash("sha256").update(content).digest("hex").slice(0, 16) });
  }
  return entries.sort((a, b) => a.url.localeCompare(b.url));
}
