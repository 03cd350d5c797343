import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";

/** The bytes of `pkg://game/sounds/beep.bin`: every byte value once, so any mangling shows. */
export const BEEP_BYTES = Array.from({ length: 256 }, (_, i) => i);
export const HELLO_TEXT = "hello from pkg://game\n";
export const LEVEL = { name: "meadow", tiles: [1, 2, 3, 5, 8] };

/** What the app's page puts on `window.loaded` once its pkg:// assets are in. */
export interface LoadedReport {
  /** Whether a service worker controlled the page when it started loading. */
  controlled: boolean;
  text: string;
  level: typeof LEVEL;
  bytes: number[];
  servedFrom: Array<string | null>;
}

/** The pkg:// assets the app loads, in the order of `LoadedReport.servedFrom`, by their paths in the package. */
export const LOADED_PATHS = ["hello.txt", "data/level.json", "sounds/beep.bin"];

export interface ConsumerAppVersions {
  /** `file:` path of the packed simvx-assets tarball. */
  tarball: string;
  vite: string;
  typescript: string;
}

// The page of the app. `?bare` only builds a server with `new AssetServer()` (and uses it on a
// mem:// asset); without it, the game's way: `AssetServer.instance()` and three pkg:// loads.
const MAIN_TS = `import { AssetServer } from "simvx-assets";

interface Level {
  name: string;
  tiles: number[];
}

declare global {
  interface Window {
    assetServer: AssetServer;
    loaded: Promise<{ controlled: boolean; text: string; level: Level; bytes: number[]; servedFrom: Array<string | null> }>;
    bare: Promise<{ state: string }>;
  }
}

if (new URLSearchParams(location.search).has("bare")) {
  const server = new AssetServer();
  server.mem.set("greeting.txt", "hello from mem");
  const greeting = server.load("mem://greeting.txt");
  window.bare = greeting.result(10_000).then(() => ({ state: greeting.state }));
} else {
  const server = AssetServer.instance();
  window.assetServer = server;
  const controlled = navigator.serviceWorker.controller !== null;
  const text = server.load<string>("pkg://game/hello.txt");
  const level = server.load<Level>("pkg://game/data/level.json");
  const beep = server.load<Uint8Array>("pkg://game/sounds/beep.bin");
  window.loaded = Promise.all([text.result(30_000), level.result(30_000), beep.result(30_000)]).then(([t, l, b]) => ({
    controlled,
    text: t,
    level: l,
    bytes: Array.from(b),
    servedFrom: [text.servedFrom, level.servedFrom, beep.servedFrom],
  }));
}
`;

const VITE_CONFIG_TS = `import { defineConfig } from "vite";
import { simvxAssets } from "simvx-assets/vite";

export default defineConfig({
  plugins: [simvxAssets({ packages: { game: "assets" } })],
});
`;

const INDEX_HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="UTF-8" />
    <title>A game that uses simvx-assets</title>
  </head>
  <body>
    <script type="module" src="/src/main.ts"></script>
  </body>
</html>
`;

// As Vite's own TypeScript template has it: strict, bundler resolution, declaration files of
// dependencies not checked (Vite's own need @types/node, which a browser app does not install).
const TSCONFIG = {
  compilerOptions: {
    target: "ES2022",
    module: "ESNext",
    moduleResolution: "bundler",
    lib: ["ES2022", "DOM", "DOM.Iterable"],
    types: ["vite/client"],
    strict: true,
    noUncheckedIndexedAccess: true,
    noEmit: true,
    isolatedModules: true,
    verbatimModuleSyntax: true,
    skipLibCheck: true,
  },
  include: ["src", "vite.config.ts"],
};

/** Writes a fresh Vite + TypeScript game into `folder`, depending on the tarball and the registry only. */
export async function writeConsumerApp(folder: string, versions: ConsumerAppVersions): Promise<void> {
  const packageJson = {
    name: "simvx-assets-consumer",
    private: true,
    type: "module",
    scripts: { build: "vite build", preview: "vite preview" },
    dependencies: { "simvx-assets": `file:${versions.tarball}` },
    devDependencies: { typescript: versions.typescript, vite: versions.vite },
  };
  const files: Record<string, string | Uint8Array> = {
    "package.json": `${JSON.stringify(packageJson, null, 2)}\n`,
    "tsconfig.json": `${JSON.stringify(TSCONFIG, null, 2)}\n`,
    "vite.config.ts": VITE_CONFIG_TS,
    "index.html": INDEX_HTML,
    "src/main.ts": MAIN_TS,
    "assets/hello.txt": HELLO_TEXT,
    "assets/data/level.json": `${JSON.stringify(LEVEL)}\n`,
    "assets/sounds/beep.bin": Uint8Array.from(BEEP_BYTES),
  };
  for (const [path, content] of Object.entries(files)) {
    const target = join(folder, path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, content);
  }
}
