import { assetFailure } from "./assetFailure.js";
import { joinChunks } from "./bodyChunks.js";

export interface ReadBodyOptions {
  uri: string;
  /** Content-Length when it counts decoded bytes (no Content-Encoding), else null. */
  expectedBytes: number | null;
  maxBytes?: number;
  /** Called on every chunk (the stall watchdog resets). */
  onChunk(): void;
  onProgress(loaded: number, total: number | null): void;
  /** See `BodyObserver`. */
  onReceived?: BodyObserver;
}

/**
 * Told after each chunk of a body of declared length: the bytes so far (a view of the buffer the
 * body is read into, to copy from, never to keep) and the declared length. A pack's files are cut
 * from it as they arrive (issue 15).
 */
export type BodyObserver = (received: Uint8Array, declaredBytes: number) => void;

/** Above this, a declared length is not trusted for one up-front allocation. */
const MAX_PREALLOCATION_BYTES = 256 * 2 ** 20;

/**
 * Reads a response body into one Uint8Array. Preallocates from the declared length to avoid
 * copies; refuses past `maxBytes` without buffering further; a body shorter than declared is a
 * truncated transfer (NETWORK). Stream errors propagate as they are for the caller to classify.
 */
export async function readBody(body: ReadableStream<Uint8Array> | null, options: ReadBodyOptions): Promise<Uint8Array> {
  const { uri, expectedBytes, maxBytes } = options;
  options.onProgress(0, expectedBytes);
  if (body === null) {
    if (expectedBytes !== null && expectedBytes > 0) throw assetFailure("NETWORK", uri, `response body missing (expected ${expectedBytes} bytes)`);
    return new Uint8Array(0);
  }
  let preallocated: Uint8Array | null = expectedBytes !== null && expectedBytes <= MAX_PREALLOCATION_BYTES ? new Uint8Array(expectedBytes) : null;
  let chunks: Uint8Array[] = [];
  let total = expectedBytes;
  let loaded = 0;
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      options.onChunk();
      if (maxBytes !== undefined && loaded + value.length > maxBytes) {
        throw assetFailure("TOO_LARGE", uri, `asset is larger than allowed (${maxBytes} bytes)`);
      }
      if (preallocated !== null && loaded + value.length <= preallocated.length) {
        preallocated.set(value, loaded);
      } else {
        if (preallocated !== null) {
          // More bytes than declared: the length was wrong, so the total is unknown.
          chunks = [preallocated.subarray(0, loaded)];
          preallocated = null;
          total = null;
        }
        chunks.push(value);
      }
      loaded += value.length;
      options.onProgress(loaded, total);
      if (preallocated !== null) options.onReceived?.(preallocated.subarray(0, loaded), preallocated.length);
    }
  } catch (error) {
    reader.cancel().catch(() => undefined);
    throw error;
  }
  if (expectedBytes !== null && total !== null && loaded < expectedBytes) {
    throw assetFailure("NETWORK", uri, `truncated response (${loaded} of ${expectedBytes} bytes)`);
  }
  if (preallocated !== null) return preallocated;
  return joinChunks(chunks, loaded);
}

/** Bodies of at most this many declared bytes are read whole (`readSmallBody`). */
export const SMALL_BODY_BYTES = 64 * 1024;

/**
 * A small body of declared length in one native read: no reader and no promise per chunk, which
 * the benchmark's profile showed for every small asset. The caller's stall watch then runs from
 * the headers rather than from the last chunk, which for 64 KiB makes no practical difference.
 */
export async function readSmallBody(response: Response, uri: string, expectedBytes: number, onProgress: (loaded: number, total: number | null) => void): Promise<Uint8Array> {
  onProgress(0, expectedBytes);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.length < expectedBytes) throw assetFailure("NETWORK", uri, `truncated response (${bytes.length} of ${expectedBytes} bytes)`);
  return bytes;
}

/** `readBodyStart`'s result: the whole body, or (past the limit) all of it again as a stream. */
export type BodyStart = { bytes: Uint8Array; rest: null } | { bytes: null; rest: ReadableStream<Uint8Array> };

/**
 * Reads a body of unknown length up to `limit` bytes: one that ends within is returned whole (a
 * page answer then carries its length, and the store its SHA-256); a longer one comes back as a
 * stream of the whole body, the bytes read so far first, read on from the network only as fast as
 * it is read (issue 14's streaming). `maxBytes` is applied to what is read here.
 */
export async function readBodyStart(body: ReadableStream<Uint8Array>, limit: number, options: Omit<ReadBodyOptions, "expectedBytes">): Promise<BodyStart> {
  const { uri, maxBytes } = options;
  options.onProgress(0, null);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  try {
    while (loaded <= limit) {
      const { done, value } = await reader.read();
      if (done) return { bytes: joinChunks(chunks, loaded), rest: null };
      options.onChunk();
      if (maxBytes !== undefined && loaded + value.length > maxBytes) throw assetFailure("TOO_LARGE", uri, `asset is larger than allowed (${maxBytes} bytes)`);
      chunks.push(value);
      loaded += value.length;
      options.onProgress(loaded, null);
    }
  } catch (error) {
    reader.cancel().catch(() => undefined);
    throw error;
  }
  let next = 0;
  const rest = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (next < chunks.length) {
          controller.enqueue(chunks[next]!);
          chunks[next++] = EMPTY;
          return;
        }
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      },
      cancel: (reason) => reader.cancel(reason),
    },
    // Nothing read ahead: the network is read as fast as the stream is.
    { highWaterMark: 0 },
  );
  return { bytes: null, rest };
}

const EMPTY = new Uint8Array(0);
