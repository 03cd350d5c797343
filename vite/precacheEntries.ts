import { createHash } from "node:crypto";
import type { Rolldown } from "vite";
import type { PrecacheEntry } from "../sw/installAssetWorker.js";

/** What an app needs to start offline: its pages, scripts and styles. */
const APP_SHELL = /\.(?:html|m?js|css)$/i;

/** One app-shell file of a build: output file name, content revision, bytes. */
export interface ShellOutput {
  fileName: string;
  revision: string;
  size: number;
}

/**
 * The app shell of a build, each with a revision taken from its content. URLs are relative to
 * the output root, where the worker script lives, so they resolve whatever the app's `base` is.
 */
export function precacheEntries(bundle: Rolldown.OutputBundle, exclude: ReadonlySet<string>, include: ReadonlySet<string> = new Set()): PrecacheEntry[] {
  return shellOutputs(bundle, exclude, include).map(({ fileName, revision }) => ({ url: fileName, revision }));
}

/** The same files as `precacheEntries`, with their sizes: what the pkg index lists as the build's shell. */
export function shellOutputs(bundle: Rolldown.OutputBundle, exclude: ReadonlySet<string>, include: ReadonlySet<string> = new Set()): ShellOutput[] {
  const outputs: ShellOutput[] = [];
  for (const file of Object.values(bundle)) {
    if (!(APP_SHELL.test(file.fileName) || include.has(file.fileName)) || exclude.has(file.fileName)) continue;
    const content = file.type === "chunk" ? file.code : file.source;
    const size = typeof content === "string" ? Buffer.byteLength(content) : content.byteLength;
    outputs.push({ fileName: file.fileName, revision: createHash("sha256").update(content).digest("hex").slice(0, 16), size });
  }
  return outputs.sort((a, b) => a.fileName.localeCompare(b.fileName));
}
