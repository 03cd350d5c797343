import { createHash } from "node:crypto";
import type { PkgIndex, ShellFile } from "../src/kernel/PkgIndex.js";

/**
 * The index with its build's identity: the shell it ships with, and a build id hashed from the
 * pkg files' hashes and the shell's revisions. The id depends on content only, so rebuilding the
 * same sources gives the same id (a redeploy of it is no update), and changing one byte of one
 * file gives a new one. The index leaves itself out of the hash (it holds the id) and so does the
 * worker script (it embeds the index's revision).
 */
export function stampBuild(index: PkgIndex, shell: readonly ShellFile[]): PkgIndex {
  const { build: _oldBuild, shell: _oldShell, ...content } = index;
  const identity = JSON.stringify({ packages: content.packages, shell: shell.map((file) => [file.url, file.revision]) });
  const build = createHash("sha256").update(identity).digest("hex").slice(0, 20);
  return { ...content, build, shell: [...shell] };
}
