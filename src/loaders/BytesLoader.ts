import { Loader } from "./Loader.js";

/** The fallback: the raw bytes, for any uri no typed loader claims. Claims nothing by suffix. */
export class BytesLoader extends Loader<Uint8Array> {
  readonly suffixes: readonly string[] = [];

  parse(raw: Uint8Array): Uint8Array {
    return raw;
  }
}
