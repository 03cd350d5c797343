import type { ServedFrom } from "../kernel/protocol.js";
import type { EntryMeta } from "./PersistentStore.js";

/** The headers that describe a body as the origin sent it (or as the store kept them). */
export interface BodyHeaders {
  contentType: string | null;
  etag: string | null;
  lastModified: string | null;
  /** How long the page may keep the body without asking again (see `cacheControlFor`); null: say nothing. */
  cacheControl: string | null;
}

/**
 * What the engine gives a request the page made by itself (the worker's fetch handler): how the
 * body was obtained, the headers that describe it, and where its bytes are. A stored body is not
 * read here, so a range request reads only the part it asks for (`FetchEngine.readStoredRange`).
 */
export type PageAnswer = WholePageAnswer | StreamedPageAnswer;

export interface WholePageAnswer {
  servedFrom: ServedFrom;
  headers: BodyHeaders;
  /** Body length in bytes. */
  size: number;
  /** New bytes from the network; null when the body is the stored one (`stored`). */
  bytes: Uint8Array | null;
  stored: EntryMeta | null;
  stream?: undefined;
}

/** A large body from the network, handed on as it arrives (and stored behind it, piece by piece). */
export interface StreamedPageAnswer {
  servedFrom: ServedFrom;
  headers: BodyHeaders;
  /** The declared length; null when the server did not say. */
  size: number | null;
  bytes: null;
  stored: null;
  stream: ReadableStream<Uint8Array>;
  /** Settles once the body has been read to its end (or given up) and stored: the worker stays alive for it. */
  settled: Promise<void>;
}
