// `npm run bench [-- --quick]`: every peer, in turn, on the same generated assets; see README-section.md.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, chromium } from "playwright-core";
import { chromiumLaunchOptions } from "../e2e/support/chromium.js";
import { assetWorkerPlugin } from "../vite/assetWorkerPlugin.js";
import { AssetStore, FILM_PREFIX, IMAGE_PREFIX } from "./AssetStore.js";
import { buildPages } from "./buildPages.js";
import { parseArgs } from "./config.js";
import { describeThisMachine } from "./machine.js";
import { measureAll } from "./measureAll.js";
import { closePeerOrigins, type PeerOrigins, startPeerOrigins } from "./PeerOrigins.js";
import { ALL_PEERS } from "./peers/allPeers.js";
import type { PeerDescriptor } from "./peers/PeerDescriptor.js";
import { buildReport } from "./report/buildReport.js";
import { measureSeek, SEEK_PEERS, type SeekRecord } from "./measureSeek.js";
import { renderSeekTable, summariseSeeks } from "./report/seekTable.js";
import { SCENARIO_IDS, SEEK_SCENARIO } from "./scenarios.js";
import { chromiumTrustFlags, makeSelfSignedCertificate } from "./tls/selfSignedCertificate.js";

const BENCH_DIR = fileURLToPath(new URL("./", import.meta.url));
const log = (line: string): void => void process.stderr.write(`${line}\n`);

/** What a run holds open, released once whether it ends, fails or is interrupted. */
class RunResources {
  temp: string | undefined;
  browser: Browser | undefined;
  readonly origins: PeerOrigins[] = [];
  #released: Promise<void> | undefined;

  release(): Promise<void> {
    this.#released ??= (async () => {
      await this.browser?.close().catch(() => undefined);
      await Promise.all(this.origins.map(closePeerOrigins));
      if (this.temp) await rm(this.temp, { recursive: true, force: true });
    })();
    return this.#released;
  }
}

async function main(resources: RunResources): Promise<void> {
  const argv = process.argv.slice(2);
  const config = parseArgs(argv);
  const command = `npm run bench${argv.length > 0 ? ` -- ${argv.join(" ")}` : ""}`;
  const peers = config.peers.length > 0 ? ALL_PEERS.filter((peer) => config.peers.includes(peer.id)) : [...ALL_PEERS];
  if (peers.length === 0) throw new Error(`no such peer; known: ${ALL_PEERS.map((peer) => peer.id).join(", ")}`);
  const scenarios = SCENARIO_IDS.filter((id) => config.scenarios.includes(id));
  const started = performance.now();
  const loadAtStart = loadavg()[0] ?? 0;

  resources.temp = await mkdtemp(join(tmpdir(), "simvx-bench-"));
  log(`generating assets in ${resources.temp}`);
  const store = await AssetStore.generate(join(resources.temp, "assets"), config.assets);
  log("building the peer pages");
  const siteDir = join(resources.temp, "site");
  // Ours' worker answers the page's own requests for the image and film folders (issue 14); no other rule changes.
  await buildPages(siteDir, [...new Set(peers.map((peer) => peer.pageDir))], () => assetWorkerPlugin({ intercept: [IMAGE_PREFIX, FILM_PREFIX] }));
  // The HTTP/2 origin's certificate, made for this run and trusted by this browser alone.
  const certificate = await makeSelfSignedCertificate(resources.temp);
  // Precise heap figures and an explicit gc() between runs. Signals are ours to handle: left to
  // Playwright, Ctrl-C would exit before the generated assets are removed.
  const browser = await chromium.launch({
    ...chromiumLaunchOptions(["--enable-precise-memory-info", "--js-flags=--expose-gc", ...chromiumTrustFlags(certificate)]),
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  resources.browser = browser;
  // Origins per peer, so service workers, caches, IndexedDB and counters never meet.
  const originsOf = new Map<PeerDescriptor, PeerOrigins>();
  for (const peer of peers) {
    const origins = await startPeerOrigins(store, siteDir, certificate);
    resources.origins.push(origins);
    originsOf.set(peer, origins);
  }
  const chainScenarios = scenarios.filter((id) => id !== SEEK_SCENARIO);
  const records = chainScenarios.length === 0 ? [] : await measureAll({ browser, store, config, peers, scenarios: chainScenarios, originsOf: (peer) => originsOf.get(peer) as PeerOrigins, log });
  const seekRecords: SeekRecord[] = [];
  const seekPeers = peers.filter((peer) => SEEK_PEERS.includes(peer.id));
  if (scenarios.includes(SEEK_SCENARIO)) {
    log("seeking in the 64 MiB film");
    for (let rep = 1; rep <= config.reps; rep++) {
      for (const peer of seekPeers) seekRecords.push(await measureSeek({ browser, origins: originsOf.get(peer) as PeerOrigins, store, peer, rep, log }));
    }
  }

  const report = buildReport({
    records,
    peers,
    scenarios,
    config,
    machine: describeThisMachine(browser.version(), loadAtStart),
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
  if (seekRecords.length > 0) {
    const labels = Object.fromEntries(peers.map((peer) => [peer.id, peer.label]));
    const seekTable = renderSeekTable(summariseSeeks(seekRecords, seekPeers.map((peer) => peer.id), "plain-fetch"), labels);
    await writeFile(join(resultsDir, "latest-seek.json"), `${JSON.stringify({ command, date: new Date().toISOString(), records: seekRecords }, null, 2)}\n`);
    process.stdout.write(`\nSeek in a 64 MiB stored file (1 MiB ranges):\n\n${seekTable}\n`);
  }
  log(`done in ${((performance.now() - started) / 1000).toFixed(0)} s: bench/results/latest.json, bench/results/latest.svg, bench/README-section.md`);
}

const resources = new RunResources();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    log(`${signal}: closing the browser and servers, removing the generated assets`);
    void resources.release().finally(() => process.exit(130));
  });
}
main(resources)
  .catch((error: unknown) => {
    log(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = 1;
  })
  .finally(() => resources.release());
