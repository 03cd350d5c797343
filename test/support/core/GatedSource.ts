import { AssetError } from "../../../src/kernel/AssetError.js";
import type { ReadContext, ReadResult, Source } from "../../../src/sources/Source.js";

/** One read waiting for the test to decide how it ends. */
export interface GatedRead {
  uri: string;
  ctx: ReadContext;
  release(content: string | Uint8Array, version?: string | null): void;
  notModified(version: string | null, servedFrom?: "revalidated" | "persistent"): void;
  fail(error: unknown): void;
  progress(loaded: number, total: number | null): void;
}

/**
 * A test source whose reads finish only when the test says so, one at a time, so ordering,
 * cancellation and sharing can be pinned down. Lists the uris given to `listing`.
 */
export class GatedSource implements Source {
  /** Reads started and not yet ended, in start order. */
  readonly waiting: GatedRead[] = [];
  /** Every read ever started. */
  readonly started: GatedRead[] = [];
  listing: string[] | Error | null = null;

  read(uri: string, ctx: ReadContext): Promise<ReadResult> {
    return new Promise<ReadResult>((resolve, reject) => {
      const end = () => {
        const index = this.waiting.indexOf(gate);
        if (index >= 0) this.waiting.splice(index, 1);
      };
      const gate: GatedRead = {
        uri,
        ctx,
        release: (content, version = "v1") => {
          end();
          resolve({ bytes: typeof content === "string" ? new TextEncoder().encode(content) : content, version });
        },
        notModified: (version, servedFrom) => {
          end();
          resolve({ notModified: true, version, ...(servedFrom ? { servedFrom } : {}) });
        },
        fail: (error) => {
          end();
          reject(error);
        },
        progress: (loaded, total) => ctx.onProgress(loaded, total),
      };
      ctx.signal.addEventListener("abort", () => gate.fail(new AssetError("CANCELLED", uri)), { once: true });
      this.waiting.push(gate);
      this.started.push(gate);
    });
  }

  async list(): Promise<string[]> {
    if (this.listing instanceof Error) throw this.listing;
    return this.listing ?? [];
  }

  /** The one waiting read of `uri` (throws when there is none or several). */
  gate(uri: string): GatedRead {
    const found = this.waiting.filter((gate) => gate.uri === uri);
    if (found.length !== 1) throw new Error(`expected one waiting read of ${uri}, found ${found.length}`);
    return found[0]!;
  }
}

/** Lets promise callbacks and zero-delay timers run. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i += 1) await new Promise((resolve) => setTimeout(resolve, 0));
}

/** Flushes until every handle is done: for reads that finish on other threads (crypto, fs). */
export async function flushUntilDone(server: { flush(): number }, handles: ReadonlyArray<{ isDone: boolean }>, maxRounds = 2000): Promise<void> {
  for (let round = 0; round < maxRounds && !handles.every((handle) => handle.isDone); round += 1) {
    await new Promise((resolve) => setTimeout(resolve, round < 10 ? 0 : 5));
    server.flush();
  }
}
