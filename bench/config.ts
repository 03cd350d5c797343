import type { AssetSpec } from "./AssetStore.js";
import type { ScenarioId } from "./scenarios.js";
import { DEFAULT_SCENARIOS, SCENARIO_IDS, SEEK_SCENARIO } from "./scenarios.js";

export interface BenchConfig {
  quick: boolean;
  reps: number;
  assets: AssetSpec;
  /** Loads in flight at once for the pooled plain-fetch peer; every other loader starts everything at once (ours does not gate HTTP reads in the page). */
  concurrency: number;
  /** Simulated game work per frame in the game-loop scenario. */
  gameWorkMs: number;
  /** Game loop frames recorded with no loading, before the load (the machine's own jank). */
  idleMs: number;
  /** Peers to run (ids), all when empty. */
  peers: string[];
  scenarios: ScenarioId[];
}

const MiB = 2 ** 20;

/** Parses `--quick`, `--reps N`, `--peers a,b`, `--scenarios a,b`; throws on anything else. */
export function parseArgs(argv: readonly string[]): BenchConfig {
  const quick = argv.includes("--quick");
  const config: BenchConfig = {
    quick,
    // Sized for a shared 2-core machine: the full run well under 15 minutes, --quick under 3.
    reps: quick ? 1 : 3,
    assets: quick
      ? { smallCount: 150, smallBytes: 4096, largeCount: 4, largeBytes: 4 * MiB, imageCount: 150 }
      : { smallCount: 1000, smallBytes: 4096, largeCount: 8, largeBytes: 8 * MiB, imageCount: 1000 },
    concurrency: 6,
    gameWorkMs: 4,
    idleMs: quick ? 300 : 1000,
    peers: [],
    scenarios: [...DEFAULT_SCENARIOS],
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      return next;
    };
    if (arg === "--quick") continue;
    else if (arg === "--reps") {
      config.reps = Number(value());
      if (!Number.isInteger(config.reps) || config.reps < 1) throw new Error("--reps must be a positive integer");
    } else if (arg === "--peers") config.peers = value().split(",").filter(Boolean);
    else if (arg === "--scenarios") {
      const wanted = value().split(",").filter(Boolean);
      const unknown = wanted.filter((id) => !(SCENARIO_IDS as readonly string[]).includes(id));
      if (unknown.length > 0) throw new Error(`unknown scenario(s): ${unknown.join(", ")}; known: ${SCENARIO_IDS.join(", ")}`);
      config.scenarios = wanted as ScenarioId[];
    } else throw new Error(`unknown argument ${arg}; usage: npm run bench -- [--quick] [--reps N] [--peers a,b] [--scenarios a,b]`);
  }
  // The size is the figure's point, so --quick keeps it; nothing else needs the file.
  if (config.scenarios.includes(SEEK_SCENARIO)) config.assets.filmBytes = 64 * MiB;
  return config;
}
