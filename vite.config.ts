import { defineConfig } from "vite";
import { demoOriginPlugin } from "./demo/server/demoOriginPlugin.js";
import { PERSISTENT_CACHE_BYTES } from "./demo/settings.js";
import { simvxAssets } from "./vite/index.js";

// The demo game: `npm run demo` (dev), `npm run build` + `npm run preview` (production build).
// The demo builds into dist/demo so the library's own build (tsc into dist/) is left alone.
export default defineConfig({
  plugins: [simvxAssets({ packages: { game: "demo/assets" }, worker: { persistentCacheBytes: PERSISTENT_CACHE_BYTES } }), demoOriginPlugin({ folder: "demo/origin" })],
  build: { outDir: "dist/demo", emptyOutDir: true },
});
