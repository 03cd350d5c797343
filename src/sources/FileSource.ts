import { listOpfsFolder, readOpfsFile } from "./opfsFiles.js";
import type { ReadContext, ReadResult, Source } from "./Source.js";
import { childUri, pathSegments } from "./uriPath.js";

/**
 * `file:///abs/path` in a browser: the Origin Private File System (version `lastModified-size`).
 * A known version is confirmed without reading. (Node's is `NodeFileSource`.)
 */
export class FileSource implements Source {
  async read(uri: string, ctx: ReadContext): Promise<ReadResult> {
    return readOpfsFile(pathSegments(uri), uri, ctx);
  }

  async list(uri: string, opts: { recursive: boolean }): Promise<string[]> {
    const files = await listOpfsFolder(pathSegments(uri), uri, opts.recursive);
    return files.map((path) => childUri(uri, path));
  }
}
