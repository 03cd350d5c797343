import { AssetError } from "../kernel/AssetError.js";
import { Loader, stripQueryAndHash } from "./Loader.js";

const MIME_TYPES: Record<string, string> = {
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".webp": "image/webp",
  ".avif": "image/avif",
  ".gif": "image/gif",
};

/**
 * Images as `ImageBitmap`, ready for canvas and WebGL/WebGPU uploads. `createImageBitmap` decodes off
 * the main thread, unlike an `<img>` element. Pass `ImageBitmapOptions` for uploads that need them
 * (`{ premultiplyAlpha: "none", imageOrientation: "flipY" }`).
 */
export class ImageLoader extends Loader<ImageBitmap> {
  readonly suffixes: readonly string[] = Object.keys(MIME_TYPES);

  constructor(private readonly options: ImageBitmapOptions = {}) {
    super();
  }

  async parse(raw: Uint8Array, uri: string): Promise<ImageBitmap> {
    if (typeof globalThis.createImageBitmap !== "function") {
      throw new AssetError("PARSE", uri, { message: `cannot decode images here (no createImageBitmap in this environment, e.g. Node); load it with BytesLoader instead: ${uri}` });
    }
    // A view over a SharedArrayBuffer is not a valid BlobPart; copy it then.
    const part = raw.buffer instanceof ArrayBuffer ? (raw as Uint8Array<ArrayBuffer>) : new Uint8Array(raw);
    const blob = new Blob([part], { type: mimeTypeOf(uri) });
    try {
      return await globalThis.createImageBitmap(blob, this.options);
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : String(cause);
      throw new AssetError("PARSE", uri, { cause, message: `could not decode the image: ${uri}: ${reason}` });
    }
  }

  /** Decoded RGBA pixels, which is what the bitmap holds in memory, not the compressed file size. */
  override sizeOf(value: ImageBitmap): number {
    return value.width * value.height * 4;
  }
}

/** The MIME type for the uri's suffix, or "" to let the browser sniff the bytes. */
function mimeTypeOf(uri: string): string {
  const path = stripQueryAndHash(uri).toLowerCase();
  const dot = path.lastIndexOf(".");
  return dot === -1 ? "" : (MIME_TYPES[path.slice(dot)] ?? "");
}
