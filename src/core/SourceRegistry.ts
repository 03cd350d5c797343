import type { Source } from "../sources/Source.js";
import { AssetError } from "../kernel/AssetError.js";

/** Sources by uri scheme (lower case, without `:`). */
export class SourceRegistry {
  private readonly sources = new Map<string, Source>();

  register(scheme: string, source: Source): void {
    const name = String(scheme).replace(/:(\/\/)?$/, "").toLowerCase();
    if (!/^[a-z][a-z0-9+.-]*$/.test(name)) throw new TypeError(`not a uri scheme: ${JSON.stringify(scheme)}`);
    if (!source || typeof source.read !== "function") throw new TypeError("registerSource takes a Source (an object with read())");
    this.sources.set(name, source);
  }

  get(scheme: string): Source | undefined {
    return this.sources.get(scheme);
  }

  /** The source for `scheme`, or UNSUPPORTED_SCHEME. */
  require(scheme: string, uri: string): Source {
    const source = this.sources.get(scheme);
    if (!source) throw new AssetError("UNSUPPORTED_SCHEME", uri, { message: `no source for ${scheme}:// (register one with registerSource): ${uri}` });
    return source;
  }

  /** Each source once, though it may serve several schemes (http and https). */
  distinct(): Source[] {
    return [...new Set(this.sources.values())];
  }
}
