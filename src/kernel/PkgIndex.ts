// The build index that gives pkg:// its listing and version hints in a browser. The Vite plugin
// writes it (dev: served live; build: emitted); PkgSource reads it. Types only.

export interface PkgIndexFile {
  /** Where the bytes are served: an absolute path or a URL relative to the index's own URL. */
  url: string;
  size: number;
  /** Lower-case hex SHA-256 of the bytes; the version hint of `pkg://` assets. */
  sha256: string;
  /** True when `url` is content-hashed (a build): a cached copy never needs revalidation. */
  immutable: boolean;
  /** Build: the file's bytes are also `size` bytes at `offset` of pack `packs[id]`. */
  pack?: { id: string; offset: number };
}

/** A pack: the plain concatenation of small files of one package, content-addressed. */
export interface PkgIndexPack {
  /** Where the pack is served: relative to the index's own URL. */
  url: string;
  size: number;
}

/** One file of a build's app shell (HTML, JS, CSS: what the worker precaches), as the index lists it. */
export interface ShellFile {
  /** Relative to the index's own URL, like `PkgIndexFile.url`. */
  url: string;
  /** Content hash (the precache revision): it changes whenever the bytes do. */
  revision: string;
  size: number;
}

export interface PkgIndex {
  version: 1;
  /** Package name (the host of `pkg://<package>/<path>`) to its files, keyed by `/`-separated path. */
  packages: Record<string, { files: Record<string, PkgIndexFile> }>;
  /** Build: the packs the files' `pack` fields name, by id. */
  packs?: Record<string, PkgIndexPack>;
  /**
   * A build only (absent in dev, which has no updates): the build's id, a hash of its pkg files'
   * hashes and its app shell's revisions, so two deploys of the same content have the same id.
   */
  build?: string;
  /** A build only: the app shell, without the index itself and the worker script. */
  shell?: ShellFile[];
}

/** Where the index is served, relative to the document base URL. */
export const DEFAULT_PKG_INDEX_PATH = "simvx-assets/pkg-index.json";
