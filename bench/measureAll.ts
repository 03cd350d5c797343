import type { Browser } from "playwright-core";
import type { AssetStore } from "./AssetStore.js";
import type { BenchOrigin } from "./BenchOrigin.js";
import type { BenchConfig } from "./config.js";
import type { PeerDescriptor } from "./peers/PeerDescriptor.js";
import type { RunRecord } from "./report/RunRecord.js";
import { runChain } from "./runChain.js";
import { CHAINS, type Chain, type ScenarioId } from "./scenarios.js";

export interface MeasureAllInput {
  browser: Browser;
  store: AssetStore;
  config: BenchConfig;
  peers: readonly PeerDescriptor[];
  scenarios: readonly ScenarioId[];
  /** Each peer's own origin. */
  originOf: (peer: PeerDescriptor) => BenchOrigin;
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
 * Every repetition runs every peer in turn through every chain, so slow drift of a shared machine
 * spreads over all peers instead of landing on one.
 */
export async function measureAll(input: MeasureAllInput): Promise<RunRecord[]> {
  const { browser, store, config, scenarios, log } = input;
  const records: RunRecord[] = [];
  // One unrecorded cold load per peer first: the browser's first pages pay for compiling and
  // warming caches, which would otherwise land on whichever peer ran first (the baseline).
  // A peer that cannot do even that is reported as broken instead of timing out rep after rep.
  log("warming up");
  const working: PeerDescriptor[] = [];
  const [warmUpChain] = CHAINS;
  for (const peer of input.peers) {
    if (!warmUpChain) break;
    const [warmUp] = await runChain({ browser, origin: input.originOf(peer), store, peer, config, rep: 0, log }, warmUpChain, 1, WARM_UP_ASSETS);
    if (warmUp && warmUp.error === null) {
      working.push(peer);
      continue;
    }
    const error = `broken: ${warmUp?.error ?? "no result"}`;
    for (const scenario of scenarios) {
      records.push({ rep: 0, peer: peer.id, scenario, expected: { count: 0, revSum: 0, bytes: 0 }, result: null, origin: null, error });
    }
  }
  const chains = chainsFor(scenarios);
  for (let rep = 1; rep <= config.reps; rep++) {
    for (const peer of working) {
      for (const { chain, stepCount } of chains) {
        const chainRecords = await runChain({ browser, origin: input.originOf(peer), store, peer, config, rep, log }, chain, stepCount);
        records.push(...chainRecords.filter((record) => scenarios.includes(record.scenario)));
      }
    }
  }
  return records;
}
