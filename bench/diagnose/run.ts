// `npm run bench:cpu [-- --trace] [--peers a,b] [--scenarios a,b] [--reps N] [--quick]`: where
// the CPU goes while each peer loads (Chromium's processes and threads, from /proc; Linux only).
// With --trace, also the JavaScript functions with the most self time per thread, from a Chromium
// trace of each load, on unminified builds so the names read. A diagnosis aid for the benchmark's
// targets, not part of its figures.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { chromiumLaunchOptions } from "../../e2e/support/chromium.js";
import { assetWorkerPlugin } from "../../vite/assetWorkerPlugin.js";
import { AssetStore, FILM_PREFIX, IMAGE_PREFIX } from "../AssetStore.js";
import { buildPages } from "../buildPages.js";
import { parseArgs } from "../config.js";
import { chainsFor } from "../measureAll.js";
import { closePeerOrigins, startPeerOrigins } from "../PeerOrigins.js";
import { ALL_PEERS } from "../peers/allPeers.js";
import { runChain } from "../runChain.js";
import { chainAppliesTo } from "../scenarios.js";
import { chromiumTrustFlags, makeSelfSignedCertificate } from "../tls/selfSignedCertificate.js";
import { type CpuSample, cpuBetween, sampleChromiumCpu } from "./chromiumCpu.js";
import { profileByThread } from "./traceProfile.js";

const log = (line: string): void => void process.stderr.write(`${line}\n`);

const argv = process.argv.slice(2);
const trace = argv.includes("--trace");
const config = parseArgs(argv.filter((arg) => arg !== "--trace"));
const peers = config.peers.length > 0 ? ALL_PEERS.filter((peer) => config.peers.includes(peer.id)) : [...ALL_PEERS];
const temp = await mkdtemp(join(tmpdir(), "simvx-bench-cpu-"));
const store = await AssetStore.generate(join(temp, "assets"), config.assets);
const siteDir = join(temp, "site");
await buildPages(siteDir, [...new Set(peers.map((peer) => peer.pageDir))], () => assetWorkerPlugin({ intercept: [IMAGE_PREFIX, FILM_PREFIX] }), { minify: !trace });
const certificate = await makeSelfSignedCertificate(temp);
const browser = await chromium.launch(chromiumLaunchOptions(chromiumTrustFlags(certificate)));
const origins = await startPeerOrigins(store, siteDir, certificate);
try {
  for (const peer of peers) {
    for (const { chain, stepCount } of chainsFor(config.scenarios)) {
      if (!chainAppliesTo(chain, peer.id)) continue;
      for (let rep = 1; rep <= config.reps; rep++) {
        let before: CpuSample = new Map();
        let nodeBefore = process.cpuUsage();
        let startedAt = 0;
        await runChain(
          {
            browser,
            origins,
            store,
            peer,
            config,
            rep,
            log,
            async aroundLoad(phase, scenario) {
              if (phase === "start") {
                if (trace) await browser.startTracing(undefined, { categories: ["disabled-by-default-v8.cpu_profiler", "v8", "__metadata"] });
                before = sampleChromiumCpu();
                nodeBefore = process.cpuUsage();
                startedAt = performance.now();
                return;
              }
              const wallMs = performance.now() - startedAt;
              const spent = [...cpuBetween(before, sampleChromiumCpu())].sort((a, b) => b[1] - a[1]);
              const node = process.cpuUsage(nodeBefore);
              const total = spent.reduce((sum, [, ms]) => sum + ms, 0);
              log(`${peer.id} ${scenario} rep ${rep}: wall ${wallMs.toFixed(0)} ms, Chromium CPU ${total} ms, Node (origin + driver) ${((node.user + node.system) / 1000).toFixed(0)} ms`);
              for (const [key, ms] of spent.slice(0, 16)) log(`    ${String(ms).padStart(6)} ms  ${key}`);
              if (!trace) return;
              const traceBuffer = await browser.stopTracing();
              const events = (JSON.parse(traceBuffer.toString("utf8")) as { traceEvents: Parameters<typeof profileByThread>[0] }).traceEvents;
              for (const thread of profileByThread(events).filter((t) => t.totalMs > 50)) {
                log(`  JS on ${thread.thread}: ${thread.totalMs.toFixed(0)} ms sampled`);
                for (const [frame, ms] of thread.functions.slice(0, 25)) log(`    ${ms.toFixed(0).padStart(6)} ms  ${frame}`);
                log(`  ... with what they called:`);
                for (const [frame, ms] of thread.inclusive.slice(0, 40)) log(`    ${ms.toFixed(0).padStart(6)} ms  ${frame}`);
              }
            },
          },
          chain,
          stepCount,
        );
      }
    }
  }
} finally {
  await browser.close();
  await closePeerOrigins(origins);
  await rm(temp, { recursive: true, force: true });
}
