import type { FetchEngine } from "../src/engine/FetchEngine.js";
import type { PageAnswer } from "../src/engine/PageAnswer.js";
import type { WireError } from "../src/kernel/protocol.js";
import type { PageRoute } from "./PageRequestRouter.js";
import { parseRange } from "./parseRange.js";
import { storedBodyStream } from "./storedBodyStream.js";

/** Response header naming where the worker's answer came from (`persistent`, `network`, `revalidated`, `stale`). */
export const SERVED_FROM_HEADER = "x-simvx-served-from";

export interface PageRequestContext {
  engine: FetchEngine;
  request: Request;
  route: PageRoute;
  /** Keeps the worker alive for work that goes on after the answer (storing a file behind a range request). */
  waitUntil(work: Promise<unknown>): void;
  /** The network, for what the worker passes on unchanged. */
  fetch(request: Request): Promise<Response>;
}

/** The `Server-Timing` metric whose description names where the answer came from (resource timing shows it for `<img>`, CSS, media). */
export const SERVER_TIMING_NAME = "simvx-assets";

const IGNORE_PROGRESS = (): void => undefined;

/**
 * Answers one of the page's own requests from the engine: the whole body (200), or the part a
 * single `Range` asks for (206, or 416 when none of it exists), with the stored headers that
 * describe it. A range of a stored body reads only that range from the store.
 */
export async function answerPageRequest(context: PageRequestContext, retried = false): Promise<Response> {
  const { engine, request, route } = context;
  const rangeHeader = request.headers.get("range");
  if (rangeHeader !== null && (await engine.storedMeta(route.url)) === undefined) return passRangeOn(context);
  const result = await engine.answer(route.url, { signal: request.signal, onProgress: IGNORE_PROGRESS }, {
    immutable: route.immutable,
    ...(route.integrity === undefined ? {} : { integrity: route.integrity }),
    stream: rangeHeader === null,
  });
  if (!result.ok) return failed(result.error, context);
  const answer = result.value;
  const headers = describe(answer);
  // A stable pkg URL answered with its hashed file's bytes changes with the next build: the page may not keep it.
  if (route.stable === true) headers.set("cache-control", "no-cache");
  if (answer.stream !== undefined) {
    // A large body from the network, passed on as it arrives and stored behind it: the worker stays
    // alive until the page has read it (or stopped reading) and the store has it.
    context.waitUntil(answer.settled);
    if (answer.size !== null) headers.set("content-length", String(answer.size));
    return new Response(answer.stream, { status: 200, headers });
  }
  const range = parseRange(rangeHeader, answer.size);
  if (range.kind === "unsatisfiable") {
    headers.set("content-range", `bytes */${answer.size}`);
    headers.set("content-length", "0");
    return new Response(null, { status: 416, statusText: "Range Not Satisfiable", headers });
  }
  const [start, end] = range.kind === "range" ? [range.start, range.end + 1] : [0, answer.size];
  // A streamed body keeps the worker alive until the page has read it (or stopped reading): a film
  // played for minutes is one request whose pieces are read from the store as it plays.
  let streamEnded = (): void => undefined;
  const body = answer.bytes !== null ? answer.bytes.subarray(start, end) : await storedBodyStream(engine, answer.stored!, start, end, () => streamEnded());
  if (body instanceof ReadableStream) context.waitUntil(new Promise<void>((resolve) => (streamEnded = resolve)));
  if (body === null) {
    // The stored copy was damaged and has been dropped: once more, from the network.
    return retried ? Response.error() : answerPageRequest(context, true);
  }
  headers.set("content-length", String(end - start));
  if (range.kind !== "range") return new Response(body as BodyInit, { status: 200, headers });
  headers.set("content-range", `bytes ${start}-${end - 1}/${answer.size}`);
  return new Response(body as BodyInit, { status: 206, statusText: "Partial Content", headers });
}

function describe(answer: PageAnswer): Headers {
  const headers = new Headers({
    "accept-ranges": "bytes",
    [SERVED_FROM_HEADER]: answer.servedFrom,
    // The same, where page code can read it for any element's load (`PerformanceResourceTiming.serverTiming`).
    "server-timing": `${SERVER_TIMING_NAME};desc=${answer.servedFrom}`,
    // A cross-origin fetch() in CORS mode sees only the headers named here (the worker's answer is
    // not CORS-checked, but it is filtered): a loader reading ETag or Content-Range must see them.
    "access-control-expose-headers": `Content-Length, Content-Range, Accept-Ranges, ETag, Last-Modified, ${SERVED_FROM_HEADER}`,
  });
  if (answer.headers.contentType !== null) headers.set("content-type", answer.headers.contentType);
  if (answer.headers.etag !== null) headers.set("etag", answer.headers.etag);
  if (answer.headers.lastModified !== null) headers.set("last-modified", answer.headers.lastModified);
  if (answer.headers.cacheControl !== null) headers.set("cache-control", answer.headers.cacheControl);
  return headers;
}

/**
 * A range of something not stored goes to the network as the range request it is (a player's
 * first request must not wait for a whole film), and the whole file is stored behind it, so the
 * next seeks are answered from the store, offline too. Stored as it streams in: a film is never
 * whole in the worker's memory.
 */
function passRangeOn({ engine, request, route, waitUntil, fetch }: PageRequestContext): Promise<Response> {
  const options = { immutable: route.immutable, stream: true, ...(route.integrity === undefined ? {} : { integrity: route.integrity }) };
  const stored = engine.answer(route.url, { signal: new AbortController().signal, onProgress: IGNORE_PROGRESS }, options).then(async (result) => {
    // No one reads this body but the store: it is drained as fast as it comes.
    if (result.ok && result.value.stream !== undefined) await Promise.all([result.value.stream.pipeTo(new WritableStream()), result.value.settled]);
    await engine.flush();
  });
  waitUntil(stored);
  return fetch(request);
}

/**
 * The engine could not answer. A CORS refusal or a URL it will not fetch goes to the network as
 * the page sent it (the page's own mode may still use the answer: an `<img>` shows an opaque
 * image); an HTTP failure keeps its status; anything else is a network error, as it would be
 * without the worker.
 */
function failed(error: WireError, { request, fetch }: PageRequestContext): Response | Promise<Response> {
  if (error.corsRefusal === true || error.code === "INVALID_URI" || error.code === "UNSUPPORTED_SCHEME") return fetch(request);
  if (error.status !== undefined && error.status >= 400 && error.status <= 599) return new Response(null, { status: error.status });
  return Response.error();
}
