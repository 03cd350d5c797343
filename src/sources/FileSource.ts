import { detectEnvironment, type Environment } from "../platform/environment.js";
import { filePathOf, listLocalFolder, readLocalFile } from "./nodeFiles.js";
import { listOpfsFolder, readOpfsFile } from "./opfsFiles.js";
import type { ReadContext, ReadResult, Source } from "./Source.js";
import { childUri, pathSegments } from "./uriPath.js";

export interface FileSourceOptions {
  /** Default: detected at each call. */
  environment?: Environment;
}

/**
 * `file:///abs/path`: the file system in Node (version `mtimeMs-size`), the Origin Private File
 * System in a browser (version `lastModified-size`). A known version is confirmed without reading.
 */
export class FileSource implements Source {
  constructor(private readonly options: FileSourceOptions = {}) {}

  async read(uri: string, ctx: ReadContext): Promise<ReadResult> {
    const segments = pathSegments(uri);
    if (this.inNode()) return readLocalFile(await filePathOf(uri), uri, ctx);
    return readOpfsFile(segments, uri, ctx);
  }

  async list(uri: string, opts: { recursive: boolean }): Promise<string[]> {
    const segments = pathSegments(uri);
    const files = this.inNode() ? await listLocalFolder(await filePathOf(uri), uri, opts.recursive) : await listOpfsFolder(segments, uri, opts.recursive);
    return files.map((path) => childUri(uri, path));
  }

  private inNode(): boolean {
    return (this.options.environment ?? detectEnvironment()) === "node";
  }
}
