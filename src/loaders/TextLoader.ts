import { decodeUtf8 } from "./decodeUtf8.js";
import { Loader } from "./Loader.js";

/** UTF-8 text: docs and shader sources. */
export class TextLoader extends Loader<string> {
  readonly suffixes: readonly string[] = [".txt", ".md", ".glsl", ".wgsl", ".vert", ".frag"];

  parse(raw: Uint8Array, uri: string): string {
    return decodeUtf8(raw, uri);
  }

  /** JavaScript strings hold UTF-16 code units: two bytes each. */
  override sizeOf(value: string): number {
    return value.length * 2;
  }
}
