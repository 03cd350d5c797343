import type { ReadContext, ReadResult, Source } from "../Source.js";
import { childUri, pathSegments } from "../uriPath.js";
import { filePathOf, listLocalFolder, readLocalFile } from "./nodeFiles.js";

/** `file:///abs/path` in Node: the file system (version `mtimeMs-size`); a known version is confirmed without reading. */
export class NodeFileSource implements Source {
  async read(uri: string, ctx: ReadContext): Promise<ReadResult> {
    pathSegments(uri); // the same refusals as in a browser (`..`, encoded separators), before the disk is touched
    return readLocalFile(await filePathOf(uri), uri, ctx);
  }

  async list(uri: string, opts: { recursive: boolean }): Promise<string[]> {
    pathSegments(uri);
    const files = await listLocalFolder(await filePathOf(uri), uri, opts.recursive);
    return files.map((path) => childUri(uri, path));
  }
}
