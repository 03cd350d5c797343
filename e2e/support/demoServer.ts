import { fileURLToPath } from "node:url";
import type { Server } from "node:http";
import { build, createServer, type Plugin, preview, type PreviewServer, type ViteDevServer } from "vite";
import { consoleRecorderPlugin } from "./consoleRecorder.js";
import { progressRecorderPlugin } from "./progressRecorder.js";
import { stopServing } from "./offline.js";

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CONFIG_FILE = fileURLToPath(new URL("../../vite.config.ts", import.meta.url));

export interface DemoServer {
  /** e.g. `http://127.0.0.1:41234` (no trailing slash). */
  url: string;
  /** The HTTP server, which a test may take down to go offline. */
  httpServer: Server;
  /** Requests per path that reached the server (a preview counts them; a dev server does not). */
  requests: Record<string, number>;
  /** The `Sec-Fetch-Site` and `Sec-Fetch-Dest` of each request that reached a preview (null where the browser sent none). */
  fetchMetadata: Array<{ path: string; site: string | null; dest: string | null }>;
  close(): Promise<void>;
}

function urlOf(server: ViteDevServer | PreviewServer): string {
  const url = server.resolvedUrls?.local[0]?.replace(/\/$/, "");
  if (!url) throw new Error("vite did not report its URL");
  return url;
}

/**
 * `npm run demo`, programmatically: the repository's vite.config.ts on 127.0.0.1 and a free port.
 * `hmr: true` keeps Vite's live channel (the pkg:// hot-reload spec needs it).
 */
export async function startDemoDev(options: { hmr?: boolean } = {}): Promise<DemoServer> {
  const server = await createServer({
    configFile: CONFIG_FILE,
    root: REPO_ROOT,
    logLevel: "warn",
    clearScreen: false,
    plugins: [consoleRecorderPlugin(), progressRecorderPlugin()],
    // Other engineers edit src/ while tests run: no reloads and no re-optimising mid-test.
    optimizeDeps: { noDiscovery: true, include: [] },
    server: { host: "127.0.0.1", port: 0, strictPort: false, hmr: options.hmr === true },
  });
  try {
    await server.listen();
    return { url: urlOf(server), httpServer: server.httpServer as Server, requests: {}, fetchMetadata: [], close: () => server.close() };
  } catch (error) {
    await server.close();
    throw error;
  }
}

/**
 * `npm run build` (the demo part) into `outDir`, then `npm run preview` of it on a free port;
 * with `base` (`/games/dusk/`), built for and served under that sub-path, as a static host would;
 * `plugins` are added to the build (test-only page scripts such as `frameReporterPlugin`).
 */
export async function startDemoPreview(outDir: string, base?: string, options: { plugins?: Plugin[] } = {}): Promise<DemoServer> {
  await buildDemo(outDir, base, options);
  return previewDemo(outDir, base);
}

function viteConfig(base: string | undefined) {
  return { configFile: CONFIG_FILE, root: REPO_ROOT, logLevel: "warn" as const, clearScreen: false, ...(base === undefined ? {} : { base }) };
}

/** The build half of `startDemoPreview`. */
export async function buildDemo(outDir: string, base?: string, options: { plugins?: Plugin[] } = {}): Promise<void> {
  await build({ ...viteConfig(base), plugins: [consoleRecorderPlugin(), progressRecorderPlugin(), ...(options.plugins ?? [])], build: { outDir, emptyOutDir: true } });
}

/** The preview half of `startDemoPreview`: a new server, on a free port, of a build in `outDir`. */
export async function previewDemo(outDir: string, base?: string): Promise<DemoServer> {
  const requests: Record<string, number> = {};
  const fetchMetadata: DemoServer["fetchMetadata"] = [];
  const counter: Plugin = {
    name: "e2e:count-requests",
    configurePreviewServer(previewServer) {
      previewServer.middlewares.use((req, _res, next) => {
        const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
        requests[path] = (requests[path] ?? 0) + 1;
        const header = (name: string): string | null => {
          const value = req.headers[name];
          return typeof value === "string" ? value : null;
        };
        fetchMetadata.push({ path, site: header("sec-fetch-site"), dest: header("sec-fetch-dest") });
        next();
      });
    },
  };
  const server = await preview({
    ...viteConfig(base),
    plugins: [counter],
    build: { outDir },
    preview: { host: "127.0.0.1", port: 0, strictPort: false },
  });
  const httpServer = server.httpServer as Server;
  // A test may have taken it down already (offline).
  return { url: urlOf(server), httpServer, requests, fetchMetadata, close: () => stopServing(httpServer) };
}
