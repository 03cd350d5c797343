import type { Browser } from "playwright-core";
import type { AssetStore } from "./AssetStore.js";
import type { BenchConfig } from "./config.js";
import type { PeerOrigins } from "./PeerOrigins.js";
import type { PeerDescriptor } from "./peers/PeerDescriptor.js";
import type { RunRecord } from "./report/RunRecord.js";
import { runChain } from "./runChain.js";
import { CHAINS, type Chain, chainAppliesTo, type ScenarioId, type Transport } from "./scenarios.js";

export interface MeasureAllInput {
  browser: Browser;
  store: AssetStore;
  config: BenchConfig;
  peers: readonly PeerDescriptor[];
  scenarios: readonly ScenarioId[];
  /** Each peer's own origins. */
  originsOf: (peer: PeerDescriptor) => PeerOrigins;
  log(line: string): void;
}

/** Assets of the unrecorded warm-up load: enough to compile the code paths and open connections. */
const WARM_UP_ASSETS = 50;

/** The chains to run, each up to its last wanted step: earlier steps are what prime the later ones. */
export function chainsFor(scenarios: readonly ScenarioId[]): { chain: Chain; stepCount: number }[] {
  return CHAINS.map((chain) => {
    let stepCount = 0;
    chain.steps.forEach((step, index) => {
      if (scenarios.includes(step.scenario)) stepCount = index + 1;
    });
    return { chain, stepCount };
  }).filter(({ stepCount }) => stepCount > 0);
}

/**
 * The first chain of each transport the run uses: the warm-up loads. The HTTP/1.1 one always,
 * since it also tells a working peer from a broken one; the HTTP/2 one when a wanted scenario is
 * on HTTP/2, so the browser's first TLS handshakes and HTTP/2 sessions do not land on whichever
 * peer runs first (the baseline).
 */
export function warmUpChainsFor(scenarios: readonly ScenarioId[]): Chain[] {
  const transports = new Set<Transport>(["http1.1", ...chainsFor(scenarios).map(({ chain }) => chain.transport)]);
  return [...transports].flatMap((transport) => {
    const first = CHAINS.find((chain) => chain.transport === transport);
    return first ? [first] : [];
  });
}

/**
 * Every repetition runs every peer in turn through every chain, so slow drift of a shared machine
 * spreads over all peers instead of landing on one.
 */
export async function measureAll(input: MeasureAllInput): Promise<RunRecord[]> {
  const { browser, store, config, scenarios, log } = input;
  const records: RunRecord[] = [];
  const chains = chainsFor(scenarios);
  // One unrecorded cold load per peer and transport first: the browser's first pages pay for
  // compiling and warming caches, which would otherwise land on whichever peer ran first.
  // A peer that cannot do even that is reported as broken (on HTTP/2 only, when only that failed)
  // instead of timing out rep after rep.
  log("warming up");
  const broken = new Map<PeerDescriptor, Set<Transport>>();
  for (const peer of input.peers) {
    for (const warmUpChain of warmUpChainsFor(scenarios)) {
      const [warmUp] = await runChain({ browser, origins: input.originsOf(peer), store, peer, config, rep: 0, log }, warmUpChain, 1, WARM_UP_ASSETS);
      if (warmUp && warmUp.error === null) continue;
      const pageBroken = warmUpChain.transport === "http1.1";
      const lost = chains.filter(({ chain }) => chainAppliesTo(chain, peer.id) && (pageBroken || chain.transport === warmUpChain.transport));
      broken.set(peer, new Set([...(broken.get(peer) ?? []), ...lost.map(({ chain }) => chain.transport)]));
      const error = `broken: ${warmUp?.error ?? "no result"}`;
      for (const step of lost.flatMap(({ chain }) => chain.steps).filter((step) => scenarios.includes(step.scenario))) {
        records.push({ rep: 0, peer: peer.id, scenario: step.scenario, expected: { count: 0, revSum: 0, bytes: 0 }, result: null, origin: null, error });
      }
      if (pageBroken) break;
    }
  }
  for (let rep = 1; rep <= config.reps; rep++) {
    for (const peer of input.peers) {
      for (const { chain, stepCount } of chains) {
        if (broken.get(peer)?.has(chain.transport) || !chainAppliesTo(chain, peer.id)) continue;
        const chainRecords = await runChain({ browser, origins: input.originsOf(peer), store, peer, config, rep, log }, chain, stepCount);
        records.push(...chainRecords.filter((record) => scenarios.includes(record.scenario)));
      }
    }
  }
  return records;
}
