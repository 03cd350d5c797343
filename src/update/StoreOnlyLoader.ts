import { Loader } from "../loaders/Loader.js";

/**
 * For downloads made to be stored, not used now (an update's files): the value is the byte count,
 * so the bytes are neither decoded (an image would be) nor kept in a memory cache.
 */
export class StoreOnlyLoader extends Loader<number> {
  readonly suffixes: readonly string[] = [];

  parse(raw: Uint8Array): number {
    return raw.byteLength;
  }

  override sizeOf(): number {
    return 8;
  }
}
