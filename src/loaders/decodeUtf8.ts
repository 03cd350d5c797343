import { AssetError } from "../kernel/AssetError.js";

let decoder: TextDecoder | undefined;

/**
 * Strict UTF-8: a leading byte-order mark is dropped (TextDecoder's default) and invalid sequences
 * fail with PARSE instead of turning silently into U+FFFD, which would corrupt shaders and data.
 */
export function decodeUtf8(raw: Uint8Array, uri: string): string {
  try {
    // One decoder for every call: a call without `stream` starts from a fresh state (Encoding
    // spec, `decode()`), even after one that threw.
    decoder ??= new TextDecoder("utf-8", { fatal: true });
    return decoder.decode(raw);
  } catch (cause) {
    throw new AssetError("PARSE", uri, { cause, message: `not valid UTF-8 text: ${uri}` });
  }
}
