import type { AssetSetName } from "./AssetStore";
import type { CachePolicy } from "./BenchOrigin";

export const SCENARIO_IDS = [
  "cold-many-small",
  "cold-few-large",
  "warm",
  "revalidate-unchanged",
  "changed-one",
  "offline",
  "game-loop",
] as const;
export type ScenarioId = (typeof SCENARIO_IDS)[number];

export const SCENARIO_LABELS: Record<ScenarioId, string> = {
  "cold-many-small": "cold many-small",
  "cold-few-large": "cold few-large",
  warm: "warm (reload, fresh)",
  "revalidate-unchanged": "revalidate all, unchanged",
  "changed-one": "changed one of many",
  offline: "offline reload",
  "game-loop": "cold load in game loop",
};

/** What a step does to the world before its page reload. */
export type StepPreparation = "none" | "bump-one" | "offline";

export interface Step {
  scenario: ScenarioId;
  prepare: StepPreparation;
  gameLoop: boolean;
}

/**
 * Steps that share one fresh browser context, in order: each step reloads the page, so later steps
 * see what earlier ones cached. The origin's cache policy holds for the whole chain (it is stamped
 * on the responses the caches keep).
 */
export interface Chain {
  id: string;
  set: AssetSetName;
  policy: CachePolicy;
  steps: Step[];
}

const step = (scenario: ScenarioId, prepare: StepPreparation = "none", gameLoop = false): Step => ({ scenario, prepare, gameLoop });

export const CHAINS: readonly Chain[] = [
  // Assets labelled fresh for an hour: a second visit need not ask the origin at all.
  { id: "fresh", set: "small", policy: "max-age", steps: [step("cold-many-small"), step("warm")] },
  // Assets labelled `no-cache`: every later visit must revalidate; the cold load runs in the game loop.
  {
    id: "revalidate",
    set: "small",
    policy: "no-cache",
    steps: [step("game-loop", "none", true), step("revalidate-unchanged"), step("changed-one", "bump-one"), step("offline", "offline")],
  },
  { id: "large", set: "large", policy: "no-cache", steps: [step("cold-few-large")] },
];

/** The revision sum a fresh load must see after the chain's steps up to and including `index`. */
export function expectedRevSum(chain: Chain, index: number): number {
  return chain.steps.slice(0, index + 1).filter((s) => s.prepare === "bump-one").length;
}
