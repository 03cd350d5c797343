import { AssetError } from "../../../src/kernel/AssetError.js";
import { isNotModified, type ReadContext, type ReadResult } from "../../../src/sources/Source.js";

/** A ReadContext for source tests that records progress reports. */
export function readContext(overrides: Partial<ReadContext> = {}): ReadContext & { progress: [number, number | null][] } {
  const progress: [number, number | null][] = [];
  return {
    signal: new AbortController().signal,
    knownVersion: null,
    onProgress: (loaded, total) => progress.push([loaded, total]),
    progress,
    ...overrides,
  };
}

/** The text of a read that brought bytes. */
export function text(result: ReadResult): string {
  if (isNotModified(result)) throw new Error("expected bytes");
  return new TextDecoder().decode(result.bytes);
}

/** The AssetError a promise rejects with (fails the test if it resolves or rejects otherwise). */
export async function failure(promise: Promise<unknown>): Promise<AssetError> {
  const error = await promise.then(() => null, (thrown: unknown) => thrown);
  if (!AssetError.is(error)) throw new Error(`expected an AssetError, got ${String(error)}`);
  return error;
}
