import type { OriginCounters } from "../AssetResponder.js";
import type { RunResult } from "../pages/shared/benchApi.js";
import type { ScenarioId } from "../scenarios.js";

/** What a correct load of the step must show. */
export interface Expected {
  count: number;
  revSum: number;
  /** Body bytes of the binary set (0 for JSON steps). */
  bytes: number;
}

/** One measured step of one peer in one repetition. */
export interface RunRecord {
  rep: number;
  peer: string;
  scenario: ScenarioId;
  expected: Expected;
  result: RunResult | null;
  origin: OriginCounters | null;
  /** Why the step produced no result (a page error, a timeout). */
  error: string | null;
}
