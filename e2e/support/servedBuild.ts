import { readdir, readFile } from "node:fs/promises";
import { extname, join, relative, sep } from "node:path";
import type { TestOrigin } from "../../test/support/engine/testOrigin.js";

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".txt": "text/plain; charset=utf-8",
  ".md": "text/markdown; charset=utf-8",
  ".png": "image/png",
};

/**
 * Serves the build in `dir` from the counting test origin as a static host would (`/` is
 * `index.html`; every file with an ETag and `Cache-Control: no-cache`), replacing in place what it
 * served before: files of the earlier build that this one lacks are gone, as after a real deploy.
 * Returns the paths served.
 */
export async function serveBuild(origin: TestOrigin, dir: string, previous: readonly string[] = []): Promise<string[]> {
  const paths: string[] = [];
  for (const file of await filesBelow(dir)) {
    const path = `/${relative(dir, file).split(sep).join("/")}`;
    const bytes = await readFile(file);
    const contentType = CONTENT_TYPES[extname(file).toLowerCase()] ?? "application/octet-stream";
    origin.setAsset(path, bytes, { contentType });
    if (path === "/index.html") origin.setAsset("/", bytes, { contentType });
    paths.push(path);
  }
  for (const path of previous) if (!paths.includes(path)) origin.deleteAsset(path);
  return paths;
}

async function filesBelow(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await filesBelow(full)));
    else if (entry.isFile()) found.push(full);
  }
  return found;
}
