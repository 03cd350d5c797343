// `npm run bench [-- --quick]`: every peer, in turn, on the same generated assets; see README-section.md.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { chromiumLaunchOptions } from "../e2e/support/chromium";
import { assetWorkerPlugin } from "../vite/assetWorkerPlugin";
import { AssetStore } from "./AssetStore";
import { BenchOrigin } from "./BenchOrigin";
import { buildPages } from "./buildPages";
import { parseArgs } from "./config";
import { describeThisMachine } from "./machine";
import { ALL_PEERS } from "./peers/allPeers";
import type { PeerDescriptor } from "./peers/PeerDescriptor";
import { buildReport } from "./report/buildReport";
import type { RunRecord } from "./report/RunRecord";
import { runChain } from "./runChain";
import { CHAINS, SCENARIO_IDS } from "./scenarios";

const BENCH_DIR = fileURLToPath(new URL("./", import.meta.url));
const log = (line: string): void => void process.stderr.write(`${line}\n`);

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const config = parseArgs(argv);
  const command = `npm run bench${argv.length > 0 ? ` -- ${argv.join(" ")}` : ""}`;
  const peers = config.peers.length > 0 ? ALL_PEERS.filter((peer) => config.peers.includes(peer.id)) : [...ALL_PEERS];
  if (peers.length === 0) throw new Error(`no such peer; known: ${ALL_PEERS.map((peer) => peer.id).join(", ")}`);
  const scenarios = SCENARIO_IDS.filter((id) => config.scenarios.includes(id));
  // A chain runs up to its last wanted step: earlier steps are what prime the later ones.
  const chains = CHAINS.map((chain) => {
    let stepCount = 0;
    chain.steps.forEach((step, index) => {
      if (scenarios.includes(step.scenario)) stepCount = index + 1;
    });
    return { chain, stepCount };
  }).filter(({ stepCount }) => stepCount > 0);

  const started = performance.now();
  const temp = await mkdtemp(join(tmpdir(), "simvx-bench-"));
  const origins: BenchOrigin[] = [];
  let browser: Awaited<ReturnType<typeof chromium.launch>> | undefined;
  let store: AssetStore | undefined;
  try {
    log(`generating assets in ${temp}`);
    store = await AssetStore.generate(join(temp, "assets"), config.assets);
    log("building the peer pages");
    const siteDir = join(temp, "site");
    await buildPages(siteDir, [...new Set(peers.map((peer) => peer.pageDir))], () => assetWorkerPlugin());
    // Precise heap figures and an explicit gc() between runs.
    browser = await chromium.launch(chromiumLaunchOptions(["--enable-precise-memory-info", "--js-flags=--expose-gc"]));
    // One origin per peer, so service workers, caches and IndexedDB never meet.
    const originOf = new Map<string, BenchOrigin>();
    for (const peer of peers) {
      const origin = await BenchOrigin.start(store, siteDir);
      origins.push(origin);
      originOf.set(peer.id, origin);
    }
    // One unrecorded cold load per peer first: the browser's first pages pay for compiling and
    // warming caches, which would otherwise land on whichever peer ran first (the baseline).
    // A peer that cannot do even that is reported as broken instead of timing out rep after rep.
    log("warming up");
    const records: RunRecord[] = [];
    const working: PeerDescriptor[] = [];
    const [warmUpChain] = CHAINS;
    for (const peer of peers) {
      if (!warmUpChain) break;
      const [warmUp] = await runChain({ browser, origin: originOf.get(peer.id) as BenchOrigin, store, peer, config, rep: 0, log }, warmUpChain, 1, 50);
      if (warmUp && warmUp.error === null) {
        working.push(peer);
        continue;
      }
      const error = `broken: ${warmUp?.error ?? "no result"}`;
      for (const scenario of scenarios) {
        records.push({ rep: 0, peer: peer.id, scenario, expected: { count: 0, revSum: 0, bytes: 0 }, result: null, origin: null, error });
      }
    }
    for (let rep = 1; rep <= config.reps; rep++) {
      for (const peer of working) {
        for (const { chain, stepCount } of chains) {
          const chainRecords = await runChain(
            { browser, origin: originOf.get(peer.id) as BenchOrigin, store, peer, config, rep, log },
            chain,
            stepCount,
          );
          records.push(...chainRecords.filter((record) => scenarios.includes(record.scenario)));
        }
      }
    }
    const report = buildReport({
      records,
      peers,
      scenarios,
      config,
      machine: describeThisMachine(browser.version()),
      command,
      date: new Date(),
      durationMs: performance.now() - started,
    });
    const resultsDir = join(BENCH_DIR, "results");
    await mkdir(resultsDir, { recursive: true });
    await writeFile(join(resultsDir, "latest.json"), report.json);
    await writeFile(join(resultsDir, "latest.svg"), report.svg);
    await writeFile(join(BENCH_DIR, "README-section.md"), report.readmeSection);
    process.stdout.write(`${report.text}\n`);
    log(`done in ${((performance.now() - started) / 1000).toFixed(0)} s: bench/results/latest.json, bench/results/latest.svg, bench/README-section.md`);
  } finally {
    await browser?.close();
    await Promise.all(origins.map((origin) => origin.close()));
    await store?.dispose();
    await rm(temp, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  log(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
