import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// The Node entry: `new AssetServer()` gets the Node platform's defaults (disk, in-process engine).
import { AssetServer } from "../index.node.js";
import { driveToEnd } from "../../test/support/core/driveToEnd.js";
import { LoadWatcher } from "../../test/support/core/LoadWatcher.js";
import { ManualClock } from "../../test/support/core/ManualClock.js";

const SEED = Number(process.env.PROPERTY_SEED ?? 0x7a7a);
const NUM_RUNS = Number(process.env.PROPERTY_RUNS ?? 40);
const SECRET = "TOP-SECRET";

/** Segments that try to leave a folder: plain, percent-encoded, double-encoded, with backslashes. */
const SEGMENTS = [
  "..", "%2e%2e", "%2E%2e", ".%2e", "%2e.", ".", "", "sub", "a.txt", "b.txt", "secret.txt", "link.txt", "dirlink", "%2f", "%5c",
  "..%2f", "..%5c", "%2e%2e%2f", "\\..", "..\\", "%252e%252e", "%2e%2e%5csecret.txt", "game", "other", "%00", "secret.txt%00.txt",
];

const pathArb = fc.tuple(fc.array(fc.constantFrom(...SEGMENTS), { maxLength: 6 }), fc.constantFrom("/", "\\")).map(([segments, separator]) => segments.join(separator));

let root: string;
let game: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "simvx-traversal-"));
  game = join(root, "game");
  await mkdir(join(game, "sub"), { recursive: true });
  await writeFile(join(root, "secret.txt"), SECRET);
  await writeFile(join(game, "a.txt"), "A");
  await writeFile(join(game, "sub", "b.txt"), "B");
  await writeFile(join(game, "m.json"), JSON.stringify({ assets: ["a.txt"] }));
  // Links that point out of the package: the real path is what counts.
  await symlink(join(root, "secret.txt"), join(game, "link.txt"));
  await symlink(root, join(game, "dirlink"));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function setup() {
  const clock = new ManualClock();
  const server = new AssetServer({ autoFlush: false, clock, timeoutMs: 5_000, packages: { game }, defaultBase: "mem://game/" });
  server.mem.set("game/a.txt", "A");
  server.mem.set("other/secret.txt", SECRET);
  return { server, clock, watcher: new LoadWatcher(server) };
}

/** Values of the loaded handles, as text. */
function loadedValues(handles: Array<{ state: string; value: unknown }>): string[] {
  return handles.filter((handle) => handle.state === "loaded").map((handle) => (typeof handle.value === "string" ? handle.value : JSON.stringify(handle.value)));
}

describe("path traversal (fast-check, real files)", () => {
  it("no pkg:// or mem:// load, folder listing or manifest entry ever reads outside its root", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom("pkg://game/", "mem://game/", "pkg://game", "pkg://GAME/", ""), pathArb), { minLength: 1, maxLength: 8 }),
        fc.array(pathArb, { maxLength: 6 }),
        async (loads, manifestEntries) => {
          const { server, clock, watcher } = setup();
          await writeFile(join(game, "random.json"), JSON.stringify({ assets: manifestEntries }));
          server.mem.set("game/random.json", { assets: manifestEntries });
          const handles = loads.map(([prefix, path]) => watcher.handle(server.load(prefix + path)));
          const batches = [
            ...loads.map(([prefix, path]) => watcher.batch(server.loadFolder(prefix + path, { recursive: true }))),
            watcher.batch(server.loadManifest("pkg://game/random.json")),
            watcher.batch(server.loadManifest("mem://game/random.json")),
          ];
          await driveToEnd(server, clock, watcher, { idleWaitMs: 50 });
          const everything = [...handles, ...batches.flatMap((batch) => batch.handles)];
          const leaks = loadedValues(everything).filter((value) => value.includes(SECRET));
          const problems = watcher.checkAllEnded();
          server.dispose();
          expect(leaks).toEqual([]);
          expect(problems).toEqual([]);
        },
      ),
      { seed: SEED, numRuns: NUM_RUNS },
    );
  });

  it("the secret is there to be found: the same server reads it when asked through its own root", async () => {
    const { server, clock, watcher } = setup();
    const direct = watcher.handle(server.load(`file://${root.split("/").map(encodeURIComponent).join("/")}/secret.txt`));
    const mem = watcher.handle(server.load("mem://other/secret.txt"));
    const inside = watcher.handle(server.load("pkg://game/sub/../a.txt"));
    const link = watcher.handle(server.load("pkg://game/link.txt"));
    const climb = watcher.handle(server.load("pkg://game/%2e%2e/secret.txt"));
    await driveToEnd(server, clock, watcher, { idleWaitMs: 50 });
    expect(direct.value).toBe(SECRET);
    expect(mem.value).toBe(SECRET);
    expect(inside.value).toBe("A");
    expect(link.state).toBe("failed");
    expect(climb.error?.code).toBe("INVALID_URI");
    expect(watcher.checkAllEnded()).toEqual([]);
    server.dispose();
  });
});
