import type { AssetSpec } from "../AssetStore.js";

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  browser: string;
  /** One-minute load average when the run started and when it ended: other work on the machine. */
  loadAverage: { start: number; end: number };
}

export interface ReadmeSectionInput {
  machine: MachineInfo;
  command: string;
  date: string;
  reps: number;
  concurrency: number;
  gameWorkMs: number;
  durationMs: number;
  assets: AssetSpec;
  table: string;
  extras: string;
  targets: string;
  /** Path of the chart relative to the README. */
  chartPath: string;
}

export function describeMachine(machine: MachineInfo): string {
  return `${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB RAM, ${machine.os}, Node ${machine.node}, ${machine.browser}`;
}

/** The benchmark section of the README, as the run that produced it saw it. */
export function renderReadmeSection(input: ReadmeSectionInput): string {
  const { assets } = input;
  const largeMiB = assets.largeBytes / 2 ** 20;
  return [
    "## Benchmark",
    "",
    `Measured ${input.date} on ${describeMachine(input.machine)}; one-minute load average ` +
      `${input.machine.loadAverage.start.toFixed(1)} at the start and ${input.machine.loadAverage.end.toFixed(1)} at the end ` +
      `(the benchmark's own browser and origin included), ${Math.round(input.durationMs / 60_000)} min in all. Reproduce with \`${input.command}\`.`,
    "",
    `Every peer loads the same generated assets (${assets.smallCount} JSON files of ${assets.smallBytes / 1024} KiB; ` +
      `${assets.largeCount} binary files of ${largeMiB} MiB) from the benchmark's own loopback origin, which serves strong ETags and ` +
      `counts asset requests and body bytes. Peers run in turn, each in a fresh browser context on its own origins, ` +
      `${input.reps} repetition${input.reps === 1 ? "" : "s"} each; figures are medians. Plain fetch (the baseline of every ratio) and the Workbox pages ` +
      "start every request at once with `Promise.all(urls.map((u) => fetch(u).then((r) => r.json())))` and leave the scheduling to the browser; " +
      `*plain fetch, pool of ${input.concurrency}* keeps ${input.concurrency} in flight; ours runs with its defaults (it does not gate HTTP reads in the page: the worker hands them to the browser at once); ` +
      "PixiJS `Assets.load` starts all of them at once, as it does by default.",
    "",
    // Named, not embedded: the README is also the npm package's page, and the chart does not ship.
    `The chart of these figures, wall time relative to plain fetch, is \`${input.chartPath}\` in the repository (not in the npm package).`,
    "",
    input.table,
    "",
    input.extras,
    "",
    "Targets (reported, not asserted):",
    "",
    input.targets,
    "",
    "How to read it: *cold many-small, HTTP/2* loads the same files from a second loopback origin that speaks only HTTP/2 " +
      "over TLS (a certificate made for the run, which Chromium trusts by its SPKI hash); the page stays on its own origin and " +
      "fetches them across origins (CORS), as a game would from a CDN. Every other scenario loads from the page's own HTTP/1.1 origin. " +
      "*Warm* reloads with every asset cached and labelled `max-age=3600` (no request is needed); " +
      "*revalidate all, unchanged*, *changed one of many* and *offline reload* reload with assets labelled `no-cache` " +
      "(each use must be confirmed with the origin), after a cold load that ran inside the game loop (" +
      `${input.gameWorkMs} ms of simulated game work per animation frame). *Offline* takes the ` +
      "browser offline after the page has reloaded (Playwright's offline emulation, which covers service workers too), as a " +
      "game started from a precached shell with no network. Each step reloads once Chromium's processes have been quiet " +
      "(under 15% of one core for 200 ms, waited for at most 3 s), as a later visit finds the browser: not while the step " +
      "before still works in the background (ours writes what a load fetched once the load has ended). " +
      "*requests* and *body KiB* are counted at the " +
      "origin, background revalidation included. Long tasks, frames and heap are the page's main thread only (a Service " +
      "Worker's own work is not in them). A frame counts as over 33 ms when the interval between two animation frames " +
      "exceeds 33.4 ms (more than one missed vsync at 60 Hz). Ours runs with `autoFlush: false` and the page's frame loop " +
      "calls `flush()` once per animation frame (what autoFlush does), timed on frames where it finished at least one handle. " +
      "*Share of raw fetch* is few-large throughput over plain fetch's, which streams each " +
      "body into one buffer. " +
      "*pkg:// from packs* and the *manifest with integrity* rows (issue 15) load the same small files, labelled `no-cache`: " +
      "every other peer fetches them one by one; ours loads them as `pkg://` uris through a pkg index and packs in the Vite " +
      "plugin's format (made with its `planPacks` and `buildPkgIndex`), or with `loadManifest` of a manifest that lists them " +
      "with `integrity` (cold, then a reload with all unchanged, then one with one changed). Ours' pack requests include the index.",
    "",
  ].join("\n");
}
