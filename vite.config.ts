import { defineConfig } from "vite";
import { demoOriginPlugin } from "./demo/server/demoOriginPlugin.js";
import { PERSISTENT_CACHE_BYTES } from "./demo/settings.js";
import { simvxAssets } from "./vite/index.js";

// The demo game: `npm run demo` (dev), `npm run build` + `npm run preview` (production build).
// The demo builds into dist-demo/, outside dist/: dist/ holds only the library (tsc), which is what
// the npm package ships.
export default defineConfig({
  plugins: [simvxAssets({ packages: { game: "demo/assets" }, worker: { persistentCacheBytes: PERSISTENT_CACHE_BYTES } }), demoOriginPlugin({ folder: "demo/origin" })],
  build: { outDir: "dist-demo", emptyOutDir: true },
  // The demo's PixiJS badge imports pixi.js on demand: bundled up front, it is one request in dev,
  // not hundreds of modules found late (which would also make Vite reload the page).
  optimizeDeps: { include: ["pixi.js"] },
});
