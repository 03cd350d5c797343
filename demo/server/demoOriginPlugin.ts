import { resolve } from "node:path";
import type { Plugin } from "vite";
import { DemoOrigin } from "./DemoOrigin.js";

export interface DemoOriginPluginOptions {
  /** Folder served, relative to Vite's root. */
  folder: string;
  /** Mount path. Default `<base>demo-origin/` (the page finds it at `<document base>demo-origin/`). */
  prefix?: string;
}

/** Mounts the demo's content origin on the dev server and on the preview server alike. */
export function demoOriginPlugin(options: DemoOriginPluginOptions): Plugin {
  let prefix = options.prefix ?? "/demo-origin/";
  let root = process.cwd();
  return {
    name: "simvx-demo:origin",
    configResolved(config) {
      root = config.root;
      if (options.prefix === undefined && config.base.startsWith("/")) prefix = `${config.base.replace(/\/?$/, "/")}demo-origin/`;
    },
    configureServer(server) {
      server.middlewares.use(new DemoOrigin(resolve(root, options.folder), prefix).handle);
    },
    configurePreviewServer(server) {
      server.middlewares.use(new DemoOrigin(resolve(root, options.folder), prefix).handle);
    },
  };
}
