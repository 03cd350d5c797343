#!/usr/bin/env node
// `npm run build:lib`, last step: minifies the library's JavaScript in dist/ in place, one module at
// a time (ESM stays ESM, export names stay, `.name` of functions and classes too). The package
// ships no source maps (its sources are not in it), and unminified output put it over its size
// budget (issue 13: under 400 KB unpacked). The types (.d.ts) keep their doc comments.
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { transform } from "esbuild";

const DIST = new URL("../dist/", import.meta.url).pathname;

async function* jsFiles(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* jsFiles(path);
    else if (entry.name.endsWith(".js")) yield path;
  }
}

let before = 0;
let after = 0;
for await (const file of jsFiles(DIST)) {
  const code = await readFile(file, "utf8");
  const result = await transform(code, { loader: "js", format: "esm", target: "es2022", minify: true, keepNames: true, legalComments: "none" });
  before += code.length;
  after += result.code.length;
  await writeFile(file, result.code);
}
// stderr: `npm pack --json` (the consumer test reads it) must print nothing but its JSON on stdout.
console.error(`dist/ JavaScript minified: ${Math.round(before / 1024)} KB → ${Math.round(after / 1024)} KB`);
