import { locatePkgFile } from "../PkgSource.js";
import type { ReadContext, ReadResult, Source } from "../Source.js";
import { childUri } from "../uriPath.js";
import { listLocalFolder, readLocalFile } from "./nodeFiles.js";
import { resolvePackageFolder } from "./resolvePackageFolder.js";

export interface NodePkgSourceOptions {
  /** Package name → folder. Other names resolve as installed npm packages. */
  packages?: Record<string, string>;
  /** Where relative folders and npm packages resolve from. Default `process.cwd()`. */
  cwd?: string;
}

/**
 * `pkg://<package>/<path>` in Node: a package's folder on disk, read like `NodeFileSource`, never
 * outside that folder (symlinks included).
 */
export class NodePkgSource implements Source {
  private readonly folders = new Map<string, string>();

  constructor(private readonly options: NodePkgSourceOptions = {}) {}

  async read(uri: string, ctx: ReadContext): Promise<ReadResult> {
    const { name, path } = locatePkgFile(uri);
    const folder = await this.packageFolder(name, uri);
    return readLocalFile(joinPath(folder, path), uri, ctx, folder);
  }

  async list(uri: string, opts: { recursive: boolean }): Promise<string[]> {
    const { name, path } = locatePkgFile(uri);
    const folder = await this.packageFolder(name, uri);
    const files = await listLocalFolder(joinPath(folder, path), uri, opts.recursive, folder);
    return files.map((file) => childUri(uri, file));
  }

  private async packageFolder(name: string, uri: string): Promise<string> {
    const known = this.folders.get(name);
    if (known !== undefined) return known;
    const folder = await resolvePackageFolder(name, uri, this.options.packages, this.options.cwd ?? process.cwd());
    this.folders.set(name, folder);
    return folder;
  }
}

function joinPath(folder: string, path: string): string {
  return path === "" ? folder : `${folder.replace(/[/\\]+$/, "")}/${path}`;
}
