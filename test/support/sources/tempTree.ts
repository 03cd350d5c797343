import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

/** A temporary folder tree for source tests: `files` maps `/`-separated paths to contents. */
export async function makeTempTree(files: Record<string, string | Uint8Array>, links: Record<string, string> = {}) {
  const root = await mkdtemp(join(tmpdir(), "simvx-sources-"));
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
  for (const [path, target] of Object.entries(links)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await symlink(join(root, target), join(root, path));
  }
  return {
    root,
    path: (relative: string) => join(root, relative),
    /** The `file:` uri of a path inside the tree, as the core would pass it. */
    uri: (relative = "") => pathToFileURL(join(root, relative)).href,
    remove: () => rm(root, { recursive: true, force: true }),
  };
}
