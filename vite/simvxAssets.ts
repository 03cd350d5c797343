import { readFile } from "node:fs/promises";
import { posix, resolve } from "node:path";
import type { Plugin, ResolvedConfig } from "vite";
import { ASSET_CHANGED_EVENT } from "../src/kernel/pluginContract.js";
import { DEFAULT_PKG_INDEX_PATH, type PkgIndex, type PkgIndexFile, type PkgIndexPack } from "../src/kernel/PkgIndex.js";
import { appBasePlugin } from "./appBasePlugin.js";
import { type AssetWorkerPluginOptions, assetWorkerPlugin, DEFAULT_WORKER_FILE_NAME } from "./assetWorkerPlugin.js";
import { buildPkgIndex, contentHashedPath, type PackageFile, readPackages, relativeUrl, sha256Hex } from "./buildPkgIndex.js";
import { listedFiles, rehashed, withManifestIntegrity } from "./manifestIntegrity.js";
import { type ManifestListing, type PackOptions, planPacks, resolvePackOptions } from "./planPacks.js";
import { assertPackageName } from "./packageFiles.js";
import { DEV_PKG_PREFIX, PkgDevServer } from "./PkgDevServer.js";
import { shellOutputs } from "./precacheEntries.js";
import { stampBuild } from "./stampBuild.js";
import type { InterceptRule } from "../sw/PageRequestRouter.js";

export interface SimvxAssetsOptions {
  /** Package name (the host of `pkg://<name>/…`) → folder, absolute or relative to Vite's root. */
  packages: Record<string, string>;
  /** Where the pkg:// index is served, relative to the base. Default `simvx-assets/pkg-index.json`. */
  indexPath?: string;
  /** Options of the asset service worker, or `false` to leave the worker out (an app with its own). */
  worker?: AssetWorkerPluginOptions | false;
  /**
   * Build: files up to `fileBytes` (64 KiB) are also packed into content-addressed packs of at most
   * `packBytes` (4 MiB), so a folder or a manifest loads in a request or two; `false`: no packs.
   */
  packs?: false | Partial<PackOptions>;
  /**
   * The page's own GET requests the worker answers from its store (cached, revalidated, offline),
   * besides pkg files and URLs the store holds: URL prefixes (`"https://cdn.example.com/music/"`,
   * `"/media/"`) or RegExps over the whole URL. See README, "Other engines and the DOM".
   */
  intercept?: InterceptRule[];
}

/** Sent over Vite's HMR channel when a package file is added, changed or removed in dev. */
export const PKG_CHANGED_EVENT = "simvx-assets:pkg-changed";
const DEV_CLIENT_ID = "virtual:simvx-assets/dev-client";
const RESOLVED_DEV_CLIENT_ID = `\0${DEV_CLIENT_ID}`;

export interface PkgChangedPayload {
  /** `pkg://<package>/<path>` of the file that changed. */
  uri: string;
  event: "add" | "change" | "unlink";
}

/**
 * Packages folders as `pkg://` assets. Dev: serves them as they are under `<base>@simvx-pkg/`, with
 * an index computed from disk and refreshed when they change. Build: emits each file
 * content-hashed under `<assetsDir>/pkg/<package>/` and an index marking them immutable. Also
 * serves (dev) and emits (build) the asset service worker at `/asset-sw.js`.
 */
export function simvxAssets(options: SimvxAssetsOptions): Plugin[] {
  if (!options || typeof options.packages !== "object" || options.packages === null) {
    throw new Error('simvxAssets: give it the folders to package, e.g. simvxAssets({ packages: { game: "assets" } })');
  }
  for (const name of Object.keys(options.packages)) assertPackageName(name);
  const indexPath = (options.indexPath ?? DEFAULT_PKG_INDEX_PATH).replace(/^\/+/, "");
  const packOptions = resolvePackOptions(options.packs);
  let config: ResolvedConfig | undefined;
  const folders = () => Object.fromEntries(Object.entries(options.packages).map(([name, folder]) => [name, resolve(config!.root, folder)]));

  const pkgPlugin: Plugin = {
    name: "simvx-assets:pkg",

    configResolved(resolved) {
      config = resolved;
    },

    configureServer(server) {
      // A relative base ("./") means nothing to a dev server, which serves from the root.
      const base = server.config.base.startsWith("/") ? server.config.base.replace(/\/?$/, "/") : "/";
      const dev = new PkgDevServer({ packages: folders(), base, indexPath });
      const packageFolders = Object.values(folders());
      server.watcher.add(packageFolders);
      server.watcher.on("all", (event, file) => {
        const owner = dev.packageOf(file);
        if (!owner) return;
        dev.invalidate();
        if (event === "add" || event === "change" || event === "unlink") {
          const payload: PkgChangedPayload = { uri: `pkg://${owner.packageName}/${owner.path.split("\\").join("/")}`, event };
          server.ws.send({ type: "custom", event: PKG_CHANGED_EVENT, data: payload });
        }
      });
      server.middlewares.use(dev.handle);
    },

    // The dev client: a saved pkg file (the watcher above) reaches every AssetServer of the page,
    // which drops its copies and fires assetChanged. A module Vite serves, so it gets import.meta.hot.
    resolveId(id) {
      return id === DEV_CLIENT_ID ? RESOLVED_DEV_CLIENT_ID : null;
    },
    load(id) {
      if (id !== RESOLVED_DEV_CLIENT_ID) return null;
      return `if (import.meta.hot) import.meta.hot.on(${JSON.stringify(PKG_CHANGED_EVENT)}, (data) => window.dispatchEvent(new CustomEvent(${JSON.stringify(ASSET_CHANGED_EVENT)}, { detail: data.uri })));\n`;
    },
    transformIndexHtml() {
      if (config?.command !== "serve") return [];
      return [{ tag: "script", attrs: { type: "module", src: `${config.base}@id/__x00__${DEV_CLIENT_ID}` }, injectTo: "head" }];
    },

    async buildStart() {
      if (config?.command !== "build" || this.environment?.config.consumer === "server") return;
      const packageFolders = folders();
      const read = await readPackages(packageFolders);
      // Manifests first: the integrity written into them changes their own bytes and hash.
      const byUri = new Map(read.map((file) => [`pkg://${file.packageName}/${file.path}`, file]));
      const contents = new Map<string, Buffer>();
      const files: PackageFile[] = [];
      const manifests: ManifestListing[] = [];
      for (const file of read) {
        const bytes = await readFile(file.absolutePath);
        // A pack holds one package's files: what a manifest lists in other packages is not grouped with it.
        const listed = listedFiles(file, bytes, byUri)?.filter((target) => target.packageName === file.packageName);
        if (listed !== undefined && listed.length > 0) manifests.push({ packageName: file.packageName, manifestPath: file.path, paths: listed.map((target) => target.path) });
        const manifest = withManifestIntegrity(file, bytes, byUri);
        contents.set(file.absolutePath, manifest ?? bytes);
        files.push(manifest === null ? file : rehashed(file, manifest));
      }
      const outputs = new Map<string, string>();
      for (const file of files) {
        const fileName = posix.join(config.build.assetsDir, "pkg", file.packageName, contentHashedPath(file.path, file.sha256));
        this.emitFile({ type: "asset", fileName, source: contents.get(file.absolutePath)! });
        this.addWatchFile(file.absolutePath);
        outputs.set(file.absolutePath, fileName);
      }
      const packs: Record<string, PkgIndexPack> = {};
      const packOf = new Map<string, NonNullable<PkgIndexFile["pack"]>>();
      for (const plan of packOptions === null ? [] : planPacks(files, packOptions, manifests)) {
        // Plain concatenation: a file is one Range request of its pack away.
        const bytes = Buffer.concat(plan.files.map(({ file }) => contents.get(file.absolutePath)!));
        const id = sha256Hex(bytes).slice(0, 16);
        const fileName = posix.join(config.build.assetsDir, "pkg", "packs", `${id}.pack`);
        this.emitFile({ type: "asset", fileName, source: bytes });
        packs[id] = { url: relativeUrl(indexPath, fileName), size: bytes.length };
        for (const { file, offset } of plan.files) packOf.set(file.absolutePath, { id, offset });
      }
      const index = buildPkgIndex(Object.keys(packageFolders), files, (file) => {
        const pack = packOf.get(file.absolutePath);
        return { url: relativeUrl(indexPath, outputs.get(file.absolutePath)!), immutable: true, ...(pack === undefined ? {} : { pack }) };
      });
      if (Object.keys(packs).length > 0) index.packs = packs;
      this.emitFile({ type: "asset", fileName: indexPath, source: JSON.stringify(index) });
    },

    // Updates after a deploy: the index names its build and lists the app shell it ships with. After
    // Vite has emitted the HTML pages, and before the worker plugin (later in the same "post" group)
    // precaches the index, so the worker precaches it stamped.
    generateBundle: {
      order: "post",
      handler(_output, bundle) {
        if (config?.command !== "build" || this.environment?.config.consumer === "server") return;
        const asset = bundle[indexPath];
        if (asset?.type !== "asset") return;
        const worker = options.worker === false ? null : (options.worker ?? {});
        const exclude = new Set([indexPath, ...(worker ? [worker.fileName ?? DEFAULT_WORKER_FILE_NAME] : [])]);
        const shell = shellOutputs(bundle, exclude, new Set(worker?.precacheFiles)).map((file) => ({ url: relativeUrl(indexPath, file.fileName), revision: file.revision, size: file.size }));
        const text = typeof asset.source === "string" ? asset.source : new TextDecoder().decode(asset.source);
        asset.source = JSON.stringify(stampBuild(JSON.parse(text) as PkgIndex, shell));
      },
    },
  };

  if (options.worker === false) return [pkgPlugin, appBasePlugin()];
  // The index is part of the app shell: offline, pkg:// cannot find a single file without it.
  const precacheFiles = [...(options.worker?.precacheFiles ?? []), indexPath];
  // The worker sits at the base, so pkg files are found relative to it: served as they are in dev, hashed in a build.
  const pkgUrlPrefixes = (command: "serve" | "build", resolved: ResolvedConfig): string[] => (command === "serve" ? [DEV_PKG_PREFIX] : [`${posix.join(resolved.build.assetsDir, "pkg")}/`]);
  const intercept = [...(options.worker?.intercept ?? []), ...(options.intercept ?? [])];
  return [pkgPlugin, appBasePlugin(), assetWorkerPlugin({ ...options.worker, precacheFiles, pkgUrlPrefixes, pkgIndex: indexPath, ...(intercept.length > 0 ? { intercept } : {}) })];
}
