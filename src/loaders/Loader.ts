/** Turns bytes into a typed asset. The first registered loader whose `claims(uri)` is true wins. */
export abstract class Loader<T = unknown> {
  /** Lower-case file suffixes this loader claims, with the dot: `[".json"]`. */
  abstract readonly suffixes: readonly string[];

  abstract parse(raw: Uint8Array, uri: string): T | Promise<T>;

  /** Case-insensitive suffix match on the path, ignoring `?query` and `#hash`. */
  claims(uri: string): boolean {
    const path = stripQueryAndHash(uri).toLowerCase();
    return this.suffixes.some((suffix) => path.endsWith(suffix.toLowerCase()));
  }

  /** Bytes the parsed value costs in the memory cache; the raw size unless the loader knows better. */
  sizeOf(_value: T, raw: Uint8Array): number {
    return raw.byteLength;
  }
}

export function stripQueryAndHash(uri: string): string {
  const cut = uri.search(/[?#]/);
  return cut === -1 ? uri : uri.slice(0, cut);
}
