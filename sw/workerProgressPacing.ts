import type { ProgressPacing } from "../src/engine/ProgressPacer.js";

/**
 * The worker's progress: a report costs a message, and a body under 256 KiB is over before a
 * report could help a loading bar (the answer says all a report would), so only larger bodies, or
 * bodies of unknown size, are reported, at most every 100 ms.
 */
export const WORKER_PROGRESS_PACING = { minBytes: 256 * 1024, periodMs: 100 } as const satisfies ProgressPacing;
