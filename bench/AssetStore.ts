import { createHash } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { binaryAsset, jsonAsset } from "./assetContent.js";
import { type DerivedAsset, deriveAssets } from "./derivedAssets.js";
import { pngAsset } from "./pngAsset.js";

/** `image`: small PNGs for `<img>` elements; `film`: the one large file seeks read ranges of (issue 14). */
export type AssetSetName = "small" | "large" | "image" | "film";

/** Where the image set is served: the bench's asset worker intercepts this prefix. */
export const IMAGE_PREFIX = "/assets/img/";
/** Where the film is served: intercepted too, so the page's range requests reach the worker. */
export const FILM_PREFIX = "/assets/film/";

export interface AssetSpec {
  smallCount: number;
  smallBytes: number;
  largeCount: number;
  largeBytes: number;
  /** PNGs of about 4 KiB each (`pngAsset`). */
  imageCount: number;
  /** Size of the one film file; 0: none (it is made only when the seek figure is wanted). */
  filmBytes?: number;
}

export interface StoredAsset {
  /** URL path on the bench origin, e.g. `/assets/small/0007.json`. */
  path: string;
  set: AssetSetName;
  id: number;
  rev: number;
  etag: string;
  bytes: Uint8Array;
}

function etagOf(bytes: Uint8Array): string {
  return `"${createHash("sha256").update(bytes).digest("base64url").slice(0, 27)}"`;
}

/**
 * The generated assets: written to a temporary folder (never committed) and kept in memory, so
 * the origin answers without disk reads competing with the browser for the CPU.
 */
export class AssetStore {
  readonly #dir: string;
  readonly #spec: AssetSpec;
  readonly #byPath = new Map<string, StoredAsset>();
  /** The pkg index, packs and manifest of the small set, made on first ask after a change. */
  #derived: Map<string, DerivedAsset> | null = null;

  private constructor(dir: string, spec: AssetSpec) {
    this.#dir = dir;
    this.#spec = spec;
  }

  static async generate(dir: string, spec: AssetSpec): Promise<AssetStore> {
    const store = new AssetStore(dir, spec);
    for (let id = 0; id < spec.smallCount; id++) await store.#write("small", id, 0);
    for (let id = 0; id < spec.largeCount; id++) await store.#write("large", id, 0);
    for (let id = 0; id < spec.imageCount; id++) await store.#write("image", id, 0);
    if ((spec.filmBytes ?? 0) > 0) await store.#write("film", 0, 0);
    store.#derive();
    return store;
  }

  get spec(): AssetSpec {
    return this.#spec;
  }

  get(path: string): StoredAsset | undefined {
    return this.#byPath.get(path);
  }

  /** A file made from the small set (`derivedAssets.ts`): kept in step with every bump and reset. */
  derived(path: string): DerivedAsset | undefined {
    return this.#derive().get(path);
  }

  /**
   * Made when the files change, not when first asked for: a real origin serves its index and packs
   * as files, and hashing a thousand files inside the first request (about 100 ms) would be
   * charged to the load that asked.
   */
  #derive(): Map<string, DerivedAsset> {
    this.#derived ??= deriveAssets([...this.#byPath.values()].filter((asset) => asset.set === "small"));
    return this.#derived;
  }

  paths(set: AssetSetName): string[] {
    return [...this.#byPath.values()].filter((asset) => asset.set === set).map((asset) => asset.path);
  }

  /** Total body bytes of one set (what a cold load must move). */
  totalBytes(set: AssetSetName): number {
    let total = 0;
    for (const asset of this.#byPath.values()) if (asset.set === set) total += asset.bytes.byteLength;
    return total;
  }

  /** Publishes a new revision of one asset: new content, new ETag, same size. */
  async bump(path: string): Promise<StoredAsset> {
    const asset = this.#byPath.get(path);
    if (!asset) throw new Error(`no asset at ${path}`);
    const bumped = await this.#write(asset.set, asset.id, asset.rev + 1);
    this.#derive();
    return bumped;
  }

  /** Puts every asset back to revision 0. */
  async reset(): Promise<void> {
    for (const asset of [...this.#byPath.values()]) if (asset.rev !== 0) await this.#write(asset.set, asset.id, 0);
    this.#derive();
  }

  async #write(set: AssetSetName, id: number, rev: number): Promise<StoredAsset> {
    const name = String(id).padStart(4, "0");
    const path = { small: `/assets/small/${name}.json`, large: `/assets/large/${name}.bin`, image: `${IMAGE_PREFIX}${name}.png`, film: `${FILM_PREFIX}${name}.bin` }[set];
    const bytes =
      set === "small"
        ? jsonAsset(id, rev, this.#spec.smallBytes)
        : set === "large"
          ? binaryAsset(id, rev, this.#spec.largeBytes)
          : set === "image"
            ? pngAsset(id, rev)
            : binaryAsset(id, rev, this.#spec.filmBytes ?? 0);
    const file = join(this.#dir, path);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, bytes);
    const asset: StoredAsset = { path, set, id, rev, etag: etagOf(bytes), bytes };
    this.#byPath.set(path, asset);
    this.#derived = null;
    return asset;
  }
}
