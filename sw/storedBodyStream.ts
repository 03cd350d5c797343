import type { FetchEngine } from "../src/engine/FetchEngine.js";
import { BODY_CHUNK_BYTES, type EntryMeta } from "../src/engine/PersistentStore.js";

/**
 * Bytes `start` to `end` (exclusive) of a stored body as the answer's body: at most one piece read
 * at a time, so a 64 MiB film never sits whole in the worker's memory. The first piece is read
 * before the answer starts: null when it is missing or damaged, so the caller can fetch again
 * instead. A later damaged piece errors the stream (the page sees a network error, never wrong
 * bytes); the engine has dropped the entry by then, so the next request fetches it again.
 */
export async function storedBodyStream(engine: FetchEngine, meta: EntryMeta, start: number, end: number, onEnd: () => void = () => undefined): Promise<Uint8Array | ReadableStream<Uint8Array> | null> {
  const pieceBytes = meta.chunks?.chunkBytes ?? BODY_CHUNK_BYTES;
  // Pieces end on the store's boundaries, so each read touches one stored piece.
  const nextEnd = (from: number): number => Math.min(end, (Math.floor(from / pieceBytes) + 1) * pieceBytes);
  const firstEnd = nextEnd(start);
  const first = await engine.readStoredRange(meta, start, firstEnd);
  if (first === null || firstEnd === end) return first;
  let position = firstEnd;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        controller.enqueue(first);
      },
      async pull(controller) {
        const to = nextEnd(position);
        const piece = await engine.readStoredRange(meta, position, to);
        if (piece === null) {
          controller.error(new Error(`a stored piece of ${meta.url} was damaged; it will be fetched again`));
          onEnd();
          return;
        }
        controller.enqueue(piece);
        position = to;
        if (position < end) return;
        controller.close();
        onEnd();
      },
      // The page stopped reading (a seek elsewhere, a closed tab).
      cancel: onEnd,
    },
    // One piece ahead at most: the page's reading paces the store's.
    { highWaterMark: 1 },
  );
}
