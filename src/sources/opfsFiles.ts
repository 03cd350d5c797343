// The browser side of FileSource: file:///a/b.txt is the file b.txt in the folder a of the Origin
// Private File System, walked from its root.
import { AssetError } from "../kernel/AssetError.js";
import { throwIfCancelled, untilCancelled } from "../kernel/abort.js";
import type { ReadContext, ReadResult } from "./Source.js";

/** Async iteration of a folder, which TypeScript's DOM lib only declares in DOM.AsyncIterable. */
interface IterableDirectory {
  values(): AsyncIterable<FileSystemHandle>;
}

export async function readOpfsFile(segments: string[], uri: string, ctx: ReadContext): Promise<ReadResult> {
  throwIfCancelled(ctx.signal, uri);
  const name = segments.at(-1);
  if (name === undefined) throw new AssetError("INVALID_URI", uri, { message: `${uri} is a folder, not a file (use loadFolder)` });
  const file = await untilCancelled(openFile(segments.slice(0, -1), name, uri), ctx.signal, uri);
  const version = `${file.lastModified}-${file.size}`;
  if (ctx.knownVersion === version) return { notModified: true, version };
  if (ctx.maxBytes !== undefined && file.size > ctx.maxBytes) {
    throw new AssetError("TOO_LARGE", uri, { message: `${uri} is ${file.size} bytes, over the ${ctx.maxBytes}-byte limit` });
  }
  ctx.onProgress(0, file.size);
  const bytes = new Uint8Array(await untilCancelled(file.arrayBuffer(), ctx.signal, uri).catch((error: unknown) => rethrow(error, uri)));
  ctx.onProgress(bytes.byteLength, bytes.byteLength);
  return { bytes, version };
}

/** Files below the folder, as `/`-separated paths relative to it, sorted. */
export async function listOpfsFolder(segments: string[], uri: string, recursive: boolean): Promise<string[]> {
  const folder = await openFolder(segments, uri, true);
  const found: string[] = [];
  const walk = async (dir: FileSystemDirectoryHandle, prefix: string): Promise<void> => {
    for await (const handle of (dir as unknown as IterableDirectory).values()) {
      if (handle.kind === "file") found.push(prefix + handle.name);
      else if (recursive) await walk(handle as FileSystemDirectoryHandle, `${prefix}${handle.name}/`);
    }
  };
  await walk(folder, "").catch((error: unknown) => rethrow(error, uri));
  return found.sort();
}

async function openFile(folderSegments: string[], name: string, uri: string): Promise<File> {
  const folder = await openFolder(folderSegments, uri, false);
  try {
    return await (await folder.getFileHandle(name)).getFile();
  } catch (error) {
    if (error instanceof DOMException && error.name === "TypeMismatchError") {
      throw new AssetError("INVALID_URI", uri, { cause: error, message: `${uri} is a folder, not a file (use loadFolder)` });
    }
    return rethrow(error, uri);
  }
}

/** `isTarget`: the folder itself was asked for (a listing), so a file in its place is a bad uri. */
async function openFolder(segments: string[], uri: string, isTarget: boolean): Promise<FileSystemDirectoryHandle> {
  const storage = globalThis.navigator?.storage;
  if (typeof storage?.getDirectory !== "function") {
    throw new AssetError("UNSUPPORTED_SCHEME", uri, { message: `file:// needs the Origin Private File System, which this browser does not offer: ${uri}` });
  }
  let depth = 0;
  try {
    let folder = await storage.getDirectory();
    for (const segment of segments) {
      folder = await folder.getDirectoryHandle(segment);
      depth += 1;
    }
    return folder;
  } catch (error) {
    if (error instanceof DOMException && error.name === "TypeMismatchError") {
      // As in Node: a file where a parent folder should be means the asset is not there.
      if (isTarget && depth === segments.length - 1) throw new AssetError("INVALID_URI", uri, { cause: error, message: `${uri} is not a folder` });
      throw new AssetError("NOT_FOUND", uri, { cause: error });
    }
    return rethrow(error, uri);
  }
}

function rethrow(error: unknown, uri: string): never {
  if (AssetError.is(error)) throw error;
  if (error instanceof DOMException && error.name === "NotFoundError") throw new AssetError("NOT_FOUND", uri, { cause: error });
  // SecurityError, NotAllowedError, NotReadableError: the storage exists but cannot be had.
  const reason = error instanceof Error ? error.message : String(error);
  throw new AssetError("NOT_FOUND", uri, { cause: error, message: `cannot read ${uri}: ${reason}` });
}
