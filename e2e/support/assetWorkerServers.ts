import { fileURLToPath } from "node:url";
import { createServer, type Plugin, type ViteDevServer } from "vite";
import { startTestOrigin, type TestOrigin } from "../../test/support/engine/testOrigin.js";
import { assetWorkerPlugin } from "../../vite/assetWorkerPlugin.js";
import { consoleRecorderPlugin } from "./consoleRecorder.js";
import { probeWorkerScript } from "./featureProbe.js";

export interface AssetWorkerServers {
  /** The test page's origin (Vite dev), e.g. `http://127.0.0.1:41234`. */
  pageOrigin: string;
  /** The asset origin, a different origin from the page's (another port). */
  origin: TestOrigin;
  /** Where the page reaches the same asset origin on its own origin (proxied by Vite). */
  sameOriginBase: string;
  /** Holds requests for the worker script until `release` is called: the page stays uncontrolled meanwhile. */
  holdWorkerScript(): { release(): void };
  close(): Promise<void>;
}

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** Path prefix under which Vite proxies the asset origin, so assets are also same-origin. */
export const SAME_ORIGIN_PREFIX = "/origin";

/** Delays `/asset-sw.js` while a hold is in place (placed before the plugin that serves it). */
function workerScriptGate(): Plugin & { hold(): { release(): void } } {
  let gate: Promise<void> | null = null;
  return {
    name: "e2e:worker-script-gate",
    configureServer(server) {
      server.middlewares.use((req, _res, next) => {
        if (gate === null || !req.url?.startsWith("/asset-sw.js")) return next();
        void gate.then(() => next());
      });
    },
    hold() {
      let release = (): void => undefined;
      gate = new Promise<void>((resolve) => (release = resolve));
      return {
        release: () => {
          gate = null;
          release();
        },
      };
    },
  };
}

/** Serves the feature probe's service worker at `/probe/probe-sw.js` (scope `/probe/`, away from the asset worker's). */
function featureProbeWorker(): Plugin {
  return {
    name: "e2e:feature-probe-worker",
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        if (req.url?.split("?")[0] !== "/probe/probe-sw.js") return next();
        res.setHeader("Content-Type", "text/javascript; charset=utf-8");
        res.setHeader("Cache-Control", "no-cache");
        res.end(probeWorkerScript());
      });
    },
  };
}

/** Path below which the worker answers the page's own requests (its `intercept` rule), on the asset origin and through the proxy. */
export const INTERCEPT_PATH = "/intercept/";

export interface AssetWorkerServersOptions {
  /** Dependencies to pre-bundle (a spec that imports PixiJS in the page). */
  optimizeDeps?: string[];
}

/** Starts the asset origin and a Vite dev server for `e2e/pages` with the asset worker plugin. */
export async function startAssetWorkerServers(options: AssetWorkerServersOptions = {}): Promise<AssetWorkerServers> {
  const origin = await startTestOrigin();
  let vite: ViteDevServer | undefined;
  const gate = workerScriptGate();
  try {
    vite = await createServer({
      root: fileURLToPath(new URL("../pages/", import.meta.url)),
      configFile: false,
      logLevel: "warn",
      clearScreen: false,
      plugins: [consoleRecorderPlugin(), featureProbeWorker(), gate, assetWorkerPlugin({ intercept: [`${origin.url}${INTERCEPT_PATH}`, `${SAME_ORIGIN_PREFIX}${INTERCEPT_PATH}`] })],
      // Other engineers edit src/ while tests run: no reloads, no re-optimising in the middle of a test.
      optimizeDeps: { noDiscovery: true, include: options.optimizeDeps ?? [] },
      server: {
        host: "127.0.0.1",
        port: 0,
        hmr: false,
        fs: { allow: [REPO_ROOT] },
        proxy: { [SAME_ORIGIN_PREFIX]: { target: origin.url, rewrite: (path) => path.slice(SAME_ORIGIN_PREFIX.length) } },
      },
    });
    await vite.listen();
    const pageOrigin = vite.resolvedUrls?.local[0]?.replace(/\/$/, "");
    if (!pageOrigin) throw new Error("vite did not report its URL");
    const server = vite;
    return {
      pageOrigin,
      origin,
      sameOriginBase: `${pageOrigin}${SAME_ORIGIN_PREFIX}`,
      holdWorkerScript: () => gate.hold(),
      async close() {
        await server.close();
        await origin.close();
      },
    };
  } catch (error) {
    await vite?.close();
    await origin.close();
    throw error;
  }
}
