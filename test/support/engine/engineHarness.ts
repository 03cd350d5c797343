// Helpers for the FetchEngine tests: requests, loads with recorded progress, and stores that fail.
import type { HttpOutcome, HttpRequest, Result, WireError } from "../../../src/kernel/protocol.js";
import type { FetchEngine } from "../../../src/engine/FetchEngine.js";
import { MemoryStore } from "../../../src/engine/MemoryStore.js";

export function httpRequest(url: string, overrides: Partial<HttpRequest> = {}): HttpRequest {
  return { url, knownVersion: null, cache: true, revalidate: "conditional-get", ...overrides };
}

export interface Load {
  result: Result<HttpOutcome>;
  progress: Array<[number, number | null]>;
}

/** Starts a load; `done` settles with its result and every progress report it got. */
export function startLoad(engine: FetchEngine, url: string, overrides: Partial<HttpRequest> = {}, signal = new AbortController().signal): Promise<Load> {
  const progress: Array<[number, number | null]> = [];
  return engine.request(httpRequest(url, overrides), { signal, onProgress: (loaded, total) => progress.push([loaded, total]) }).then((result) => ({ result, progress }));
}

/** One load, then the engine's stores behind it (tests look into the store right after). */
export async function load(engine: FetchEngine, url: string, overrides: Partial<HttpRequest> = {}): Promise<Load> {
  const done = await startLoad(engine, url, overrides);
  await engine.flush();
  return done;
}

export function outcomeOf(result: Result<HttpOutcome>): HttpOutcome {
  if (!result.ok) throw new Error(`expected success, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

export function bytesOf(result: Result<HttpOutcome>): Uint8Array {
  const outcome = outcomeOf(result);
  if (!("bytes" in outcome)) throw new Error("expected bytes, got notModified");
  return outcome.bytes;
}

export function errorOf(result: Result<unknown>): WireError {
  if (result.ok) throw new Error("expected a failure, got success");
  return result.error;
}

/** Deterministic test bytes. */
export function assetBytes(size: number, seed = 1): Uint8Array {
  return Uint8Array.from({ length: size }, (_, i) => (i * 31 + seed * 17) & 0xff);
}

/** A clock that moves one millisecond per reading, so LRU order never ties. */
export function steppingClock(start = 1_000_000): () => number {
  let now = start;
  return () => (now += 1);
}

export function quotaError(): DOMException {
  return new DOMException("the quota has been exceeded", "QuotaExceededError");
}

/** A MemoryStore whose `putMany` throws QuotaExceededError for the next `failures` calls. */
export class QuotaStore extends MemoryStore {
  puts = 0;
  constructor(private failures = 0) {
    super();
  }
  failNextPuts(count: number): void {
    this.failures = count;
  }
  override async putMany(...args: Parameters<MemoryStore["putMany"]>): Promise<void> {
    this.puts += 1;
    if (this.failures > 0) {
      this.failures -= 1;
      throw quotaError();
    }
    return super.putMany(...args);
  }
}

/** A store where every call fails, as IndexedDB does in some private-browsing modes. */
export class BrokenStore extends MemoryStore {
  override async getMetas(): Promise<never> {
    throw new DOMException("broken", "UnknownError");
  }
  override async getBody(): Promise<never> {
    throw new DOMException("broken", "UnknownError");
  }
  override async putMany(): Promise<never> {
    throw new DOMException("broken", "UnknownError");
  }
  override async flush(): Promise<never> {
    throw new DOMException("broken", "UnknownError");
  }
  override async listMetas(): Promise<never> {
    throw new DOMException("broken", "UnknownError");
  }
  override async delete(): Promise<never> {
    throw new DOMException("broken", "UnknownError");
  }
  override async urlsByIntegrity(): Promise<never> {
    throw new DOMException("broken", "UnknownError");
  }
  override async getRange(): Promise<never> {
    throw new DOMException("broken", "UnknownError");
  }
  override async clear(): Promise<never> {
    throw new DOMException("broken", "UnknownError");
  }
}
