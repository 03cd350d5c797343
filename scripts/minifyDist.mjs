#!/usr/bin/env node
// `npm run build:lib`, last step: minifies the library's JavaScript in dist/ in place, one module at
// a time (ESM stays ESM, export names stay, `.name` of functions and classes too). The package
// ships no source maps (its sources are not in it), and unminified output put it over its size
// budget (issue 13: under 400 KB unpacked). The types (.d.ts) of what the entries export keep
// their doc comments (a user's editor shows them); those of internal modules, which a user never
// imports by name, ship without: they are for whoever reads the sources.
import { readdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { transform } from "esbuild";

const DIST = new URL("../dist/", import.meta.url).pathname;

async function* filesEndingIn(dir, suffix) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* filesEndingIn(path, suffix);
    else if (entry.name.endsWith(suffix)) yield path;
  }
}

/** The entries' type files and the modules they export from by relative path. */
async function publicTypeFiles() {
  const entries = ["src/index.d.ts", "src/index.node.d.ts", "sw/index.d.ts", "vite/index.d.ts"].map((path) => join(DIST, path));
  const kept = new Set(entries);
  for (const entry of entries) {
    const text = await readFile(entry, "utf8");
    for (const [, specifier] of text.matchAll(/from "(\.[^"]+)\.js"/g)) kept.add(join(dirname(entry), `${specifier}.d.ts`));
  }
  return kept;
}

let before = 0;
let after = 0;
for await (const file of filesEndingIn(DIST, ".js")) {
  const code = await readFile(file, "utf8");
  const result = await transform(code, { loader: "js", format: "esm", target: "es2022", minify: true, keepNames: true, legalComments: "none" });
  before += code.length;
  after += result.code.length;
  await writeFile(file, result.code);
}
// stderr: `npm pack --json` (the consumer test reads it) must print nothing but its JSON on stdout.
console.error(`dist/ JavaScript minified: ${Math.round(before / 1024)} KB → ${Math.round(after / 1024)} KB`);

// A declaration file has no code, only declarations: a doc comment is a line starting with /**.
const publicTypes = await publicTypeFiles();
let strippedBytes = 0;
for await (const file of filesEndingIn(DIST, ".d.ts")) {
  if (publicTypes.has(file)) continue;
  const text = await readFile(file, "utf8");
  const bare = text.replace(/^[ \t]*\/\*\*[\s\S]*?\*\/[ \t]*\n/gm, "");
  strippedBytes += text.length - bare.length;
  await writeFile(file, bare);
}
console.error(`dist/ internal modules' type files: ${Math.round(strippedBytes / 1024)} KB of doc comments left out`);
