import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { AssetError } from "../../kernel/AssetError.js";

/** npm package names as a uri host can carry them (no scope: `@` would read as user info). */
const PACKAGE_NAME = /^[a-z0-9][a-z0-9._~-]*$/i;

/**
 * Node: the folder of package `name`: from `packages` (relative folders resolve against `cwd`),
 * else the installed npm package of that name, as `require` would find it from `cwd`.
 */
export async function resolvePackageFolder(name: string, uri: string, packages: Record<string, string> | undefined, cwd: string): Promise<string> {
  if (packages !== undefined && Object.hasOwn(packages, name)) return resolve(cwd, packages[name]!);
  const notFound = (cause?: unknown) =>
    new AssetError("NOT_FOUND", uri, { cause, message: `unknown package "${name}": not in the packages option and not an installed npm package (${uri})` });
  // "." or ".." would otherwise resolve relative to cwd.
  if (!PACKAGE_NAME.test(name)) throw notFound();
  const require = createRequire(join(cwd, "noop.js"));
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch (error) {
    // A package whose "exports" hides package.json is still installed: look where require looks.
    if ((error as NodeJS.ErrnoException).code !== "ERR_PACKAGE_PATH_NOT_EXPORTED") throw notFound(error);
    const folder = (require.resolve.paths(name) ?? []).map((dir) => join(dir, name)).find((dir) => existsSync(join(dir, "package.json")));
    if (folder === undefined) throw notFound(error);
    return folder;
  }
}
