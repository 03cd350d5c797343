import type { ServedFrom } from "../../../src/kernel/protocol.js";
import { AssetError, type AssetErrorCode } from "../../../src/kernel/AssetError.js";
import type { ReadContext, ReadResult, Source } from "../../../src/sources/Source.js";
import { seededRandom, seedFor } from "./seededRandom.js";

/** How one read ends. */
export type FaultOutcome =
  /** Resolves with bytes (default: the uri's own text) and a version (default "v1"; any value, even a wrong type). */
  | { kind: "bytes"; content?: string | Uint8Array; version?: unknown }
  | { kind: "notModified"; version?: unknown; servedFrom?: ServedFrom }
  /** Rejects with `error`: an AssetError, a plain Error, or anything at all. */
  | { kind: "reject"; error: unknown }
  /** `read` itself throws before returning a promise. */
  | { kind: "throwSync"; error: unknown }
  /** Resolves with something that is not a read result. */
  | { kind: "garbage"; value: unknown }
  /** Never settles (unless it honours the abort signal). */
  | { kind: "hang" };

/** One read's script: its outcome, when it comes, and what it reports on the way. */
export interface FaultStep {
  outcome: FaultOutcome;
  /** Macrotask turns before the outcome (0: as soon as a promise can settle). */
  delayTicks?: number;
  /** `onProgress` calls made before the outcome; nonsense welcome (NaN, negative, decreasing). */
  progress?: ReadonlyArray<readonly [number, number | null]>;
  /** Calls `onProgress` again one turn after the read has ended. */
  progressAfterEnd?: boolean;
  /** Keeps going when the signal aborts, as a badly written source would. */
  ignoreAbort?: boolean;
}

/** How a `list` call ends. */
export type ListStep =
  | { kind: "uris"; uris: unknown; delayTicks?: number }
  | { kind: "reject"; error: unknown }
  | { kind: "throwSync"; error: unknown }
  | { kind: "hang" };

/** Picks the step of each read: `readIndex` counts every read this source has seen. */
export type FaultSchedule = (uri: string, readIndex: number) => FaultStep;

/** What the source saw of one read. */
export interface FaultyRead {
  uri: string;
  ctx: ReadContext;
  step: FaultStep;
  /** "open" until it resolved, rejected, or gave up because of the abort signal. */
  status: "open" | "resolved" | "rejected" | "threw";
}

export const ERROR_CODES: readonly AssetErrorCode[] = [
  "INVALID_URI", "UNSUPPORTED_SCHEME", "NOT_FOUND", "HTTP", "NETWORK", "OFFLINE", "TIMEOUT",
  "PARSE", "INTEGRITY", "TOO_LARGE", "NOT_LISTABLE", "CANCELLED", "WORKER_LOST",
];

/**
 * A source that misbehaves on a schedule: resolves, rejects with any code or with non-errors,
 * throws synchronously, returns garbage, never settles, reports nonsense progress, ignores its
 * abort signal. Every read is recorded, so tests can check what the core did with it.
 */
export class FaultySource implements Source {
  readonly reads: FaultyRead[] = [];
  listStep: ListStep = { kind: "uris", uris: [] };

  constructor(private readonly schedule: FaultSchedule) {}

  /** Reads that neither settled nor gave up on their abort signal. */
  get openReads(): FaultyRead[] {
    return this.reads.filter((read) => read.status === "open");
  }

  read(uri: string, ctx: ReadContext): Promise<ReadResult> {
    const step = this.schedule(uri, this.reads.length);
    const record: FaultyRead = { uri, ctx, step, status: "open" };
    this.reads.push(record);
    const { outcome } = step;
    if (outcome.kind === "throwSync") {
      record.status = "threw";
      throw outcome.error;
    }
    return new Promise<ReadResult>((resolve, reject) => {
      let ended = false;
      const end = (status: "resolved" | "rejected", settle: () => void) => {
        if (ended) return;
        ended = true;
        record.status = status;
        settle();
        if (step.progressAfterEnd) setTimeout(() => report(ctx, step), 0);
      };
      if (!step.ignoreAbort) {
        const onAbort = () => end("rejected", () => reject(new AssetError("CANCELLED", uri)));
        if (ctx.signal.aborted) onAbort();
        else ctx.signal.addEventListener("abort", onAbort, { once: true });
      }
      report(ctx, step);
      if (outcome.kind === "hang") return;
      const finish = () => {
        switch (outcome.kind) {
          case "bytes": {
            const content = outcome.content ?? uri;
            const bytes = typeof content === "string" ? new TextEncoder().encode(content) : content;
            end("resolved", () => resolve({ bytes, version: ("version" in outcome ? outcome.version : "v1") as string }));
            return;
          }
          case "notModified":
            end("resolved", () => resolve({ notModified: true, version: (outcome.version ?? null) as string | null, ...(outcome.servedFrom ? { servedFrom: outcome.servedFrom } : {}) }));
            return;
          case "garbage":
            end("resolved", () => resolve(outcome.value as ReadResult));
            return;
          case "reject":
            end("rejected", () => reject(outcome.error));
            return;
        }
      };
      afterTicks(step.delayTicks ?? 0, finish);
    });
  }

  list(): Promise<string[]> {
    const step = this.listStep;
    if (step.kind === "throwSync") throw step.error;
    if (step.kind === "hang") return new Promise<string[]>(() => undefined);
    if (step.kind === "reject") return Promise.reject(step.error);
    return new Promise((resolve) => afterTicks(step.delayTicks ?? 0, () => resolve(step.uris as string[])));
  }
}

function report(ctx: ReadContext, step: FaultStep): void {
  for (const [loaded, total] of step.progress ?? []) ctx.onProgress(loaded, total);
}

function afterTicks(ticks: number, fn: () => void): void {
  if (ticks <= 0) queueMicrotask(fn);
  else setTimeout(() => afterTicks(ticks - 1, fn), 0);
}

/** Relative weights of the outcomes a seeded schedule draws from. */
export interface FaultMix {
  bytes: number;
  notModified: number;
  reject: number;
  throwSync: number;
  garbage: number;
  hang: number;
}

export const DEFAULT_FAULT_MIX: FaultMix = { bytes: 6, notModified: 1, reject: 2, throwSync: 1, garbage: 1, hang: 1 };

const GARBAGE: readonly unknown[] = [
  null, undefined, 42, "bytes", [], {}, { bytes: "not bytes", version: "v1" }, { bytes: new Uint8Array(2), version: 7 },
  { notModified: false }, { bytes: null }, Promise.resolve(1), new Uint8Array(3),
];

const THROWN: readonly unknown[] = [
  new Error("disk on fire"), new TypeError("undefined is not a function"), "a string", 0, null, undefined,
  { code: "NOT_FOUND" }, new DOMException("aborted", "AbortError"), Symbol("odd"),
];

const PROGRESS: ReadonlyArray<ReadonlyArray<readonly [number, number | null]>> = [
  [], [[0, 10], [5, 10], [10, 10]], [[Number.NaN, 10]], [[-5, 10]], [[8, 10], [3, 10]], [[20, 10]],
  [[5, Number.NaN]], [[5, -1]], [[5, 0]], [[Number.POSITIVE_INFINITY, null]], [[3, Number.POSITIVE_INFINITY]], [[1, null], [2, null]],
];

/**
 * A schedule drawn from a seed: each read of each uri gets its own stable draw, so a run repeats
 * exactly. `mix` weighs the outcomes; rejections carry every error code and non-errors too.
 */
export function seededSchedule(seed: number, mix: FaultMix = DEFAULT_FAULT_MIX): FaultSchedule {
  const kinds = Object.entries(mix) as Array<[keyof FaultMix, number]>;
  const totalWeight = kinds.reduce((sum, [, weight]) => sum + weight, 0);
  return (uri, readIndex) => {
    const random = seededRandom(seedFor(seed, `${readIndex}\n${uri}`));
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    let draw = random() * totalWeight;
    let kind: keyof FaultMix = "bytes";
    for (const [name, weight] of kinds) {
      if (draw < weight) {
        kind = name;
        break;
      }
      draw -= weight;
    }
    const code = pick(ERROR_CODES);
    const error = random() < 0.5 ? new AssetError(code, uri, { status: 500 }) : pick(THROWN);
    const outcome: FaultOutcome =
      kind === "bytes" ? { kind, version: random() < 0.9 ? `v${readIndex}` : null }
      : kind === "notModified" ? { kind, version: random() < 0.5 ? "v1" : null }
      : kind === "reject" ? { kind, error }
      : kind === "throwSync" ? { kind, error }
      : kind === "garbage" ? { kind, value: pick(GARBAGE) }
      : { kind: "hang" };
    return {
      outcome,
      delayTicks: Math.floor(random() * 3),
      progress: pick(PROGRESS),
      progressAfterEnd: random() < 0.2,
      ignoreAbort: random() < 0.3,
    };
  };
}
