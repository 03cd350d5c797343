import { createHash } from "node:crypto";
import type { Plugin, ResolvedConfig, Rolldown } from "vite";
import type { WorkerBuild } from "../sw/installAssetWorker.js";
import { assetWorkerSourceDirs, buildAssetWorker, type WorkerSettings } from "./buildAssetWorker.js";
import { precacheEntries } from "./precacheEntries.js";
import type { InterceptRule } from "../sw/PageRequestRouter.js";

export interface AssetWorkerPluginOptions {
  /** File name of the worker, at the server root in dev and at the output root in a build. */
  fileName?: string;
  /** More output files (by file name) to precache with the app shell, e.g. the pkg:// index. */
  precacheFiles?: string[];
  /** The worker's IndexedDB budget, in bytes (default 512 MiB). The page's own option sizes only the in-page engine. */
  persistentCacheBytes?: number;
  /** Origins besides the app's whose assets the worker may fetch; default any http(s) origin. */
  allowedOrigins?: string[];
  /**
   * The pkg:// index among the output files, which is also its URL relative to a worker at the
   * output root (the default `fileName`); `simvxAssets` sets it. The worker reads its build id from it: it then keeps its
   * build complete in the store and waits for the page's `applyUpdate()` to take over (README,
   * "Deploying"). In a build it also maps pkg files' stable URLs with it.
   */
  pkgIndex?: string;
  /**
   * The page's own requests the worker answers from its store besides pkg files and what the store
   * holds: URL prefixes (relative ones resolve against the worker's URL) or RegExps over the whole URL.
   */
  intercept?: InterceptRule[];
  /** Where pkg files are served, relative to the worker, in dev and in a build (set by `simvxAssets`). */
  pkgUrlPrefixes?: (command: "serve" | "build", config: ResolvedConfig) => string[];
}

export const DEFAULT_WORKER_FILE_NAME = "asset-sw.js";

/**
 * Serves the asset service worker in dev and emits it in a build, with the build's app shell
 * listed for precaching.
 */
export function assetWorkerPlugin(options: AssetWorkerPluginOptions = {}): Plugin {
  const fileName = options.fileName ?? DEFAULT_WORKER_FILE_NAME;
  // What the worker is installed with, besides its shell: the app's settings reach it here, since
  // the page cannot change a shared worker's store for the other tabs.
  const settings = (command: "serve" | "build"): WorkerSettings => ({
    ...(options.persistentCacheBytes === undefined ? {} : { persistentCacheBytes: options.persistentCacheBytes }),
    ...(options.allowedOrigins === undefined ? {} : { allowedOrigins: [...options.allowedOrigins] }),
    ...(options.intercept === undefined ? {} : { intercept: options.intercept.map((rule) => (typeof rule === "string" ? rule : { source: rule.source, flags: rule.flags })) }),
    ...(options.pkgUrlPrefixes === undefined || config === undefined ? {} : { pkgUrlPrefixes: options.pkgUrlPrefixes(command, config), pkgUrlsImmutable: command === "build" }),
    ...(options.pkgIndex === undefined || command !== "build" ? {} : { pkgIndexUrl: options.pkgIndex }),
  });
  let config: ResolvedConfig | undefined;

  return {
    name: "simvx-assets:asset-worker",

    configResolved(resolved) {
      config = resolved;
    },

    configureServer(server) {
      const sourceDirs = assetWorkerSourceDirs();
      let script: Promise<string> | undefined;
      // The worker's sources may live outside the served root, where Vite does not watch.
      server.watcher.add(sourceDirs);
      server.watcher.on("all", (_event, file) => {
        if (sourceDirs.some((dir) => file.startsWith(dir))) script = undefined;
      });
      const path = `${server.config.base}${fileName}`;
      server.middlewares.use((req, res, next) => {
        if (req.url?.split("?")[0] !== path) return next();
        const building = (script ??= buildAssetWorker({ precache: [], version: `dev-${Date.now()}`, minify: false, build: null, settings: settings("serve") }));
        building.then(
          (code) => {
            res.setHeader("Content-Type", "text/javascript; charset=utf-8");
            // Lets a worker served below the root still control the whole origin.
            res.setHeader("Service-Worker-Allowed", "/");
            // The browser must see a rebuilt worker as soon as the page asks for updates.
            res.setHeader("Cache-Control", "no-cache");
            res.end(code);
          },
          (error: unknown) => {
            if (script === building) script = undefined;
            next(error);
          },
        );
      });
    },

    generateBundle: {
      // After Vite has emitted the HTML pages, so they are in the bundle to be listed.
      order: "post",
      async handler(_output, bundle) {
        if (!config || config.command !== "build" || config.build.ssr) return;
        const precache = precacheEntries(bundle, new Set([fileName]), new Set(options.precacheFiles));
        const version = createHash("sha256").update(JSON.stringify(precache)).digest("hex").slice(0, 16);
        // Minified as the app is: a build with `build.minify: false` (to read a profile) gets a readable worker too.
        const build = options.pkgIndex === undefined ? null : buildOf(bundle[options.pkgIndex], options.pkgIndex);
        const code = await buildAssetWorker({ precache, version, minify: config.build.minify !== false, build, settings: settings("build") });
        this.emitFile({ type: "asset", fileName, source: code });
      },
    },
  };
}

/** The build id the pkg index was stamped with (`stampBuild`), or null when there is none. */
function buildOf(output: Rolldown.OutputAsset | Rolldown.OutputChunk | undefined, index: string): WorkerBuild | null {
  if (output?.type !== "asset") return null;
  const text = typeof output.source === "string" ? output.source : new TextDecoder().decode(output.source);
  const build = (JSON.parse(text) as { build?: unknown }).build;
  return typeof build === "string" ? { id: build, index } : null;
}
