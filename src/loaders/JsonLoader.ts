import { AssetError } from "../kernel/AssetError.js";
import { decodeUtf8 } from "./decodeUtf8.js";
import { Loader } from "./Loader.js";

/** JSON documents, parsed to plain values. */
export class JsonLoader extends Loader<unknown> {
  readonly suffixes: readonly string[] = [".json"];

  parse(raw: Uint8Array, uri: string): unknown {
    const text = decodeUtf8(raw, uri);
    if (text.trim() === "") throw new AssetError("PARSE", uri, { message: `empty JSON document: ${uri}` });
    try {
      return JSON.parse(text) as unknown;
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : String(cause);
      throw new AssetError("PARSE", uri, { cause, message: `invalid JSON: ${uri}: ${reason}` });
    }
  }
}
