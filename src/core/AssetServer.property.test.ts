import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AssetServer } from "./AssetServer.js";
import type { BatchHandle } from "./BatchHandle.js";
import type { Handle } from "./Handle.js";
import type { BatchOptions, FolderOptions, LoadOptions } from "./options.js";
import { climbsOutOfRoot, rawPathOf } from "../kernel/uri.js";
import { faultStepArb, loadOptionsArb, manifestTextArb, memValueArb, notQuiteUriArb, uriArb } from "../../test/support/core/arbitraries.js";
import { driveToEnd } from "../../test/support/core/driveToEnd.js";
import { type FaultSchedule, type FaultStep, FaultySource } from "../../test/support/core/FaultySource.js";
import { LoadWatcher } from "../../test/support/core/LoadWatcher.js";
import { ManualClock } from "../../test/support/core/ManualClock.js";

// A fixed seed and bounded runs: the same cases every time, a few seconds in all. To explore more,
// run with PROPERTY_SEED / PROPERTY_RUNS set; a failure prints the seed and path to replay it.
const SEED = Number(process.env.PROPERTY_SEED ?? 0x5eed_2024);
const NUM_RUNS = Number(process.env.PROPERTY_RUNS ?? 40);
const TIMEOUT_MS = 50;

const good: FaultStep = { outcome: { kind: "bytes" } };

function setup(schedule: FaultSchedule) {
  const clock = new ManualClock();
  const faulty = new FaultySource(schedule);
  const reported: unknown[] = [];
  const server = new AssetServer({
    autoFlush: false,
    clock,
    timeoutMs: TIMEOUT_MS,
    maxWorkers: 3,
    defaultBase: "mem://base/",
    // Every scheme that could reach a disk or a network goes to the scripted source instead.
    sources: { faulty, http: faulty, https: faulty, file: faulty, pkg: faulty },
    onError: (error) => reported.push(error),
  });
  return { server, clock, faulty, reported, watcher: new LoadWatcher(server) };
}

type Opts = typeof loadOptionsArb extends fc.Arbitrary<infer T> ? T : never;

type Op =
  | { kind: "load"; uri: unknown; opts: Opts }
  | { kind: "group"; uris: unknown[]; opts: Opts; sparse: boolean }
  | { kind: "folder"; uri: unknown; opts: Opts }
  | { kind: "manifest"; uri: unknown; opts: Opts }
  | { kind: "cancel"; target: number }
  | { kind: "abortLater" }
  | { kind: "flush" }
  | { kind: "memSet"; key: string; value: unknown }
  | { kind: "invalidate"; uri: unknown }
  | { kind: "clearCaches" };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant("load" as const), uri: notQuiteUriArb, opts: loadOptionsArb }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("group" as const), uris: fc.array(notQuiteUriArb, { maxLength: 6 }), opts: loadOptionsArb, sparse: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("folder" as const), uri: notQuiteUriArb, opts: loadOptionsArb }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("manifest" as const), uri: notQuiteUriArb, opts: loadOptionsArb }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("cancel" as const), target: fc.nat(30) }) },
  { weight: 1, arbitrary: fc.constant({ kind: "abortLater" as const }) },
  { weight: 2, arbitrary: fc.constant({ kind: "flush" as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("memSet" as const), key: fc.oneof(uriArb, fc.constantFrom("base/a.txt", "base/m.json", "base/dir/x.json", "h/x")), value: fc.oneof(memValueArb, manifestTextArb) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("invalidate" as const), uri: notQuiteUriArb }) },
  { weight: 1, arbitrary: fc.constant({ kind: "clearCaches" as const }) },
);

/** Turns generated options into what a (careless) JavaScript caller would pass. */
function callOptions(opts: Opts, controllers: AbortController[]): LoadOptions & BatchOptions & FolderOptions {
  const { abort, ...rest } = opts;
  if (abort === undefined || abort === "none") return rest as LoadOptions;
  const controller = new AbortController();
  if (abort === "before") controller.abort();
  else controllers.push(controller);
  return { ...rest, signal: controller.signal } as LoadOptions;
}

/** Runs the ops; returns what threw synchronously (which must be nothing). */
async function run(ops: Op[], env: ReturnType<typeof setup>): Promise<string[]> {
  const { server, watcher } = env;
  const thrown: string[] = [];
  const targets: Array<Handle | BatchHandle> = [];
  const controllers: AbortController[] = [];
  const attempt = (what: string, call: () => void) => {
    try {
      call();
    } catch (error) {
      thrown.push(`${what} threw ${String(error)}`);
    }
  };
  for (const op of ops) {
    switch (op.kind) {
      case "load":
        attempt("load", () => targets.push(watcher.handle(server.load(op.uri as string, callOptions(op.opts, controllers)))));
        break;
      case "group": {
        const uris = op.sparse ? Object.assign(new Array<unknown>(op.uris.length + 2), { 1: op.uris[0] }) : op.uris;
        attempt("loadGroup", () => targets.push(watcher.batch(server.loadGroup(uris as string[], callOptions(op.opts, controllers)))));
        break;
      }
      case "folder":
        attempt("loadFolder", () => targets.push(watcher.batch(server.loadFolder(op.uri as string, callOptions(op.opts, controllers)))));
        break;
      case "manifest":
        attempt("loadManifest", () => targets.push(watcher.batch(server.loadManifest(op.uri as string, callOptions(op.opts, controllers)))));
        break;
      case "cancel":
        if (targets.length > 0) attempt("cancel", () => targets[op.target % targets.length]!.cancel());
        break;
      case "abortLater":
        attempt("abort", () => controllers.shift()?.abort());
        break;
      case "flush":
        await new Promise((resolve) => setTimeout(resolve, 0));
        attempt("flush", () => server.flush());
        watcher.afterFlush();
        break;
      case "memSet":
        try {
          server.mem.set(op.key, op.value);
        } catch {
          // mem.set refuses values that are not bytes, text or JSON: that is its documented throw.
        }
        break;
      case "invalidate":
        attempt("invalidate", () => void server.invalidate(op.uri as string).catch((error: unknown) => thrown.push(`invalidate rejected ${String(error)}`)));
        break;
      case "clearCaches":
        attempt("clearCaches", () => void server.clearCaches().catch((error: unknown) => thrown.push(`clearCaches rejected ${String(error)}`)));
        break;
    }
  }
  return thrown;
}

/** Every read the core passed to a source was a normalised uri that stays inside its root. */
function readsStayedInside(faulty: FaultySource): string[] {
  return faulty.reads
    .map((read) => read.uri)
    // eslint-disable-next-line no-control-regex -- control characters are what is being looked for
    .filter((uri) => climbsOutOfRoot(rawPathOf(uri)) || /[\u0000-\u001f\u007f]/.test(uri))
    .map((uri) => `source read ${JSON.stringify(uri)}`);
}

describe("AssetServer under random input (fast-check)", () => {
  it("load, loadGroup, loadFolder and loadManifest never throw, and every handle and batch ends once with a code", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 25 }), fc.array(faultStepArb, { minLength: 1, maxLength: 8 }), async (ops, steps) => {
        const env = setup((_uri, index) => steps[index % steps.length]!);
        env.faulty.listStep = { kind: "uris", uris: ["faulty://h/x.json", "faulty://h/y.txt", "mem://base/a.txt"] };
        const thrown = await run(ops, env);
        await driveToEnd(env.server, env.clock, env.watcher);
        const problems = [...thrown, ...env.watcher.checkAllEnded(), ...readsStayedInside(env.faulty)];
        env.server.dispose();
        expect(problems).toEqual([]);
      }),
      { seed: SEED, numRuns: NUM_RUNS },
    );
  });

  it("a manifest of any content ends as its listed children or as one failed child with the manifest's uri", async () => {
    await fc.assert(
      fc.asyncProperty(manifestTextArb, fc.array(faultStepArb, { minLength: 1, maxLength: 4 }), async (text, steps) => {
        const env = setup((_uri, index) => steps[index % steps.length]!);
        env.server.mem.set("base/a.txt", "A");
        env.server.mem.set("base/m.json", text);
        const batch = env.watcher.batch(env.server.loadManifest("mem://base/m.json"));
        await driveToEnd(env.server, env.clock, env.watcher);
        const problems = [...env.watcher.checkAllEnded(), ...readsStayedInside(env.faulty)];
        let shapeOk: boolean;
        try {
          const parsed: unknown = JSON.parse(typeof text === "string" ? text : new TextDecoder("utf-8", { fatal: true }).decode(text));
          shapeOk = typeof parsed === "object" && parsed !== null && Array.isArray((parsed as { assets?: unknown }).assets);
        } catch {
          shapeOk = false;
        }
        if (!shapeOk) {
          expect(batch.handles.map((child) => [child.uri, child.state, child.error?.code])).toEqual([["mem://base/m.json", "failed", "PARSE"]]);
        } else if (batch.handles.length === 1 && batch.handles[0]!.uri === "mem://base/m.json" && batch.handles[0]!.state === "failed") {
          // A well-shaped manifest whose entries are wrong fails as a whole, with PARSE (one that
          // lists itself loads itself, as JSON).
          expect(batch.handles[0]!.error?.code).toBe("PARSE");
        } else {
          const uris = batch.handles.map((child) => child.uri);
          expect(new Set(uris).size).toBe(uris.length);
        }
        env.server.dispose();
        expect(problems).toEqual([]);
      }),
      { seed: SEED, numRuns: NUM_RUNS },
    );
  });

  it("under any fault schedule every load ends, loaded values are the bytes read for that uri, and the server keeps serving", async () => {
    const names = ["a.bin", "b.bin", "c.bin", "d.bin"];
    await fc.assert(
      fc.asyncProperty(
        fc.array(faultStepArb, { minLength: 1, maxLength: 12 }),
        fc.array(fc.record({ name: fc.constantFrom(...names), cancel: fc.boolean(), cache: fc.boolean() }), { minLength: 1, maxLength: 12 }),
        async (steps, loads) => {
          let healthy = false;
          const env = setup((_uri, index) => (healthy ? good : steps[index % steps.length]!));
          const handles = loads.map((load) => env.watcher.handle(env.server.load<Uint8Array>(`faulty://h/${load.name}`, { cache: load.cache })));
          await new Promise((resolve) => setTimeout(resolve, 0));
          loads.forEach((load, i) => load.cancel && handles[i]!.cancel());
          await driveToEnd(env.server, env.clock, env.watcher);
          const problems = [...env.watcher.checkAllEnded(), ...readsStayedInside(env.faulty)];
          for (const handle of handles) {
            if (handle.state !== "loaded") continue;
            const delivered = env.faulty.reads.filter((read) => read.uri === handle.uri && read.status === "resolved").map((read) => read.step.outcome);
            const matches = delivered.some((outcome) => outcome.kind === "bytes" && bytesEqual(handle.value, outcome.content ?? handle.uri));
            if (!matches) problems.push(`${handle.uri} loaded bytes no read delivered`);
          }
          // Hung reads that ignored their abort signal must not keep read slots: new loads still run.
          healthy = true;
          const after = names.map((name) => env.watcher.handle(env.server.load(`faulty://h/fresh-${name}`)));
          for (let i = 0; i < 6 && !after.every((handle) => handle.isDone); i += 1) {
            await new Promise((resolve) => setTimeout(resolve, 0));
            env.server.flush();
          }
          const stuck = after.filter((handle) => handle.state !== "loaded").map((handle) => `${handle.uri} is ${handle.state} after the faults`);
          env.server.dispose();
          expect([...problems, ...stuck]).toEqual([]);
        },
      ),
      { seed: SEED, numRuns: NUM_RUNS },
    );
  });
});

function bytesEqual(value: unknown, content: string | Uint8Array): boolean {
  const expected = typeof content === "string" ? new TextEncoder().encode(content) : content;
  return value instanceof Uint8Array && value.length === expected.length && value.every((byte, i) => byte === expected[i]);
}
