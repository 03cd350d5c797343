import "fake-indexeddb/auto";
import { describe, expect, it } from "vitest";
import type { Result } from "../kernel/protocol.js";
import { sha256Integrity } from "../kernel/verifyIntegrity.js";
import { FetchEngine } from "./FetchEngine.js";
import { IdbStore } from "./IdbStore.js";
import { MemoryStore } from "./MemoryStore.js";
import type { PageAnswer, StreamedPageAnswer } from "./PageAnswer.js";
import { BODY_CHUNK_BYTES, type PersistentStore } from "./PersistentStore.js";
import { assetBytes, bytesOf, startLoad } from "../../test/support/engine/engineHarness.js";

// A large body the page asks for reaches it, and the store, as it arrives from the network.
const URL_ = "https://cdn.test/big.bin";
const SIZE = 2 * BODY_CHUNK_BYTES + 300_000;
const PART = 64 * 1024;
const body = assetBytes(SIZE);

/** A network body the test hands out chunk by chunk: `pulls` counts the chunks the engine asked for. */
class ControlledBody {
  readonly stream: ReadableStream<Uint8Array>;
  pulls = 0;
  cancelled = false;
  private sent = 0;
  private controller!: ReadableStreamDefaultController<Uint8Array>;

  /** @param auto produce a chunk on every pull (else only through `send`). */
  constructor(private readonly auto: boolean) {
    this.stream = new ReadableStream<Uint8Array>(
      {
        start: (controller) => void (this.controller = controller),
        pull: () => {
          this.pulls += 1;
          if (this.auto) this.send(1);
        },
        cancel: () => void (this.cancelled = true),
      },
      { highWaterMark: 0 },
    );
  }

  /** Hands out `count` more chunks of the body (closing it after the last). */
  send(count: number): void {
    for (let i = 0; i < count && this.sent < SIZE; i++) {
      this.controller.enqueue(body.slice(this.sent, this.sent + PART));
      this.sent = Math.min(SIZE, this.sent + PART);
    }
    if (this.sent >= SIZE) this.controller.close();
  }

  /** The connection breaks. */
  fail(): void {
    this.controller.error(new TypeError("network error"));
  }

  get produced(): number {
    return this.sent;
  }
}

function engineWith(store: PersistentStore, bodies: ControlledBody[], headers: Record<string, string> = { "content-length": String(SIZE) }, answered: Promise<void> = Promise.resolve()) {
  let fetches = 0;
  const engine = new FetchEngine({
    store,
    ownOrigin: null,
    fetch: async () => {
      const next = bodies[fetches++];
      await answered;
      if (next === undefined) throw new Error("one request too many");
      return new Response(next.stream, { headers: { "content-type": "application/octet-stream", etag: '"v1"', "cache-control": "max-age=3600", ...headers } });
    },
  });
  return { engine, fetches: () => fetches };
}

const ctx = (signal = new AbortController().signal) => ({ signal, onProgress: () => undefined });

function streamedOf(result: Result<PageAnswer>): StreamedPageAnswer {
  if (!result.ok) throw new Error(`expected an answer, got ${result.error.code}: ${result.error.message}`);
  if (result.value.stream === undefined) throw new Error("expected a streamed answer");
  return result.value;
}

async function readAll(reader: ReadableStreamDefaultReader<Uint8Array>, first: Uint8Array[] = []): Promise<Uint8Array> {
  const parts = [...first];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
  }
  const joined = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  return joined;
}

/** Byte equality without the matcher's element-by-element walk (seconds for a few MiB). */
const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe("FetchEngine.answer with stream (a large body from the network)", () => {
  it("the page reads the first bytes while the rest is not yet sent, and the store holds the body afterwards", async () => {
    const store = new MemoryStore();
    const network = new ControlledBody(false);
    const { engine, fetches } = engineWith(store, [network]);
    const answer = streamedOf(await engine.answer(URL_, ctx(), { stream: true }));
    expect(answer).toMatchObject({ servedFrom: "network", size: SIZE, bytes: null, stored: null, headers: { contentType: "application/octet-stream", etag: '"v1"' } });
    const reader = answer.stream.getReader();
    network.send(1);
    const first = await reader.read();
    expect(first.value).toEqual(body.subarray(0, PART));
    expect(network.produced).toBe(PART);
    network.send(SIZE);
    expect(same(await readAll(reader, [first.value!]), body)).toBe(true);
    await answer.settled;
    const meta = await engine.storedMeta(URL_);
    expect(meta).toMatchObject({ size: SIZE, etag: '"v1"', contentType: "application/octet-stream" });
    expect(meta!.chunks?.integrity).toHaveLength(3);
    // No caller held the body whole: its integrity is over its pieces, and it is no content address.
    expect(meta!.integrity).toMatch(/^pieces-sha256-/);
    expect(await store.urlsByIntegrity([await sha256Integrity(body)])).toEqual([undefined]);
    expect(await engine.readStoredRange(meta!, BODY_CHUNK_BYTES - 10, BODY_CHUNK_BYTES + 10)).toEqual(body.subarray(BODY_CHUNK_BYTES - 10, BODY_CHUNK_BYTES + 10));
    // A later load reads it back whole from the store (fresh), checked piece by piece.
    expect(same(bytesOf((await startLoad(engine, URL_)).result), body)).toBe(true);
    expect(fetches()).toBe(1);
  });

  it("reads from the network only as fast as the page reads: no whole body is held in the worker", async () => {
    const network = new ControlledBody(true);
    const { engine } = engineWith(new MemoryStore(), [network]);
    const answer = streamedOf(await engine.answer(URL_, ctx(), { stream: true }));
    const reader = answer.stream.getReader();
    await reader.read();
    for (let i = 0; i < 5; i++) await tick();
    // The chunk read, one queued for the page, one in the network's hands: nowhere near the 36 of the body.
    expect(network.pulls).toBeLessThanOrEqual(4);
    await reader.cancel();
    await answer.settled;
  });

  it("a page that stops reading ends the network read and leaves nothing stored (IndexedDB: not one piece)", async () => {
    const store = new IdbStore({ dbName: "streaming-cancel" });
    const network = new ControlledBody(true);
    const { engine } = engineWith(store, [network]);
    const answer = streamedOf(await engine.answer(URL_, ctx(), { stream: true }));
    const reader = answer.stream.getReader();
    // Past the first piece, so one has been written before the page goes.
    let read = 0;
    while (read < BODY_CHUNK_BYTES + PART) read += (await reader.read()).value!.length;
    await reader.cancel();
    await answer.settled;
    expect(network.cancelled).toBe(true);
    expect(await engine.storedMeta(URL_)).toBeUndefined();
    expect(await store.listMetas()).toEqual([]);
    expect(await store.getRange(URL_, 0, 10)).toBeUndefined();
  });

  it("a page that stops reading while the server is silent ends the read at once, and a body of unknown length is not stored cut short", async () => {
    const store = new MemoryStore();
    const network = new ControlledBody(false);
    const { engine } = engineWith(store, [network], {});
    // Of unknown length, the body is answered once more than one piece has come (a shorter one whole).
    const answering = engine.answer(URL_, ctx(), { stream: true });
    network.send(20);
    const answer = streamedOf(await answering);
    expect(answer.size).toBeNull();
    const reader = answer.stream.getReader();
    let read = 0;
    while (read < 20 * PART) read += (await reader.read()).value!.length;
    // The engine now waits on the network for more.
    await tick();
    await reader.cancel();
    await answer.settled;
    expect(network.cancelled).toBe(true);
    expect(await store.listMetas()).toEqual([]);
  });

  it("a load() that shares the request collects the same stream: one request, and the entry gets the body's own SHA-256", async () => {
    const store = new MemoryStore();
    const network = new ControlledBody(true);
    let answerHeaders!: () => void;
    const { engine, fetches } = engineWith(store, [network], undefined, new Promise<void>((resolve) => (answerHeaders = resolve)));
    const page = engine.answer(URL_, ctx(), { stream: true });
    // The page's request goes out first; the load joins it while the headers are awaited.
    while (fetches() === 0) await tick();
    const loaded = startLoad(engine, URL_);
    await tick();
    answerHeaders();
    const answer = streamedOf(await page);
    const [pageBytes, load] = await Promise.all([readAll(answer.stream.getReader()), loaded]);
    expect(same(pageBytes, body)).toBe(true);
    expect(same(bytesOf(load.result), body)).toBe(true);
    expect(fetches()).toBe(1);
    await answer.settled;
    const meta = await engine.storedMeta(URL_);
    expect(meta!.integrity).toBe(await sha256Integrity(body));
    expect(await store.urlsByIntegrity([meta!.integrity])).toEqual([URL_]);
  });

  it("a streamed body that fails the integrity a page request and a load() share is not stored, and the load fails INTEGRITY", async () => {
    const store = new MemoryStore();
    const network = new ControlledBody(true);
    let answerHeaders!: () => void;
    const { engine, fetches } = engineWith(store, [network], undefined, new Promise<void>((resolve) => (answerHeaders = resolve)));
    const integrity = await sha256Integrity(assetBytes(10));
    const page = engine.answer(URL_, ctx(), { stream: true, integrity });
    while (fetches() === 0) await tick();
    const loaded = startLoad(engine, URL_, { integrity });
    await tick();
    answerHeaders();
    const answer = streamedOf(await page);
    await readAll(answer.stream.getReader());
    const load = await loaded;
    expect(load.result.ok ? "ok" : load.result.error.code).toBe("INTEGRITY");
    await answer.settled;
    expect(fetches()).toBe(1);
    expect(await store.listMetas()).toEqual([]);
  });

  it("a body cut off mid-way fails the page's stream; a load() that shared it and may retry fetches it again, alone", async () => {
    const store = new MemoryStore();
    const [broken, whole] = [new ControlledBody(false), new ControlledBody(true)];
    let answerHeaders!: () => void;
    const { engine, fetches } = engineWith(store, [broken, whole], undefined, new Promise<void>((resolve) => (answerHeaders = resolve)));
    const page = engine.answer(URL_, ctx(), { stream: true });
    while (fetches() === 0) await tick();
    const loaded = startLoad(engine, URL_, { retries: 1 });
    await tick();
    answerHeaders();
    const answer = streamedOf(await page);
    const reading = readAll(answer.stream.getReader());
    broken.send(3);
    await tick();
    broken.fail();
    await expect(reading).rejects.toThrow();
    expect(same(bytesOf((await loaded).result), body)).toBe(true);
    expect(fetches()).toBe(2);
    await answer.settled;
  });

  it("a load() that comes once the body streams waits for it to be stored and reads it from there: one request", async () => {
    const network = new ControlledBody(false);
    const { engine, fetches } = engineWith(new MemoryStore(), [network]);
    const answer = streamedOf(await engine.answer(URL_, ctx(), { stream: true }));
    const reader = answer.stream.getReader();
    network.send(1);
    const first = await reader.read();
    const loaded = startLoad(engine, URL_);
    network.send(SIZE);
    expect(same(await readAll(reader, [first.value!]), body)).toBe(true);
    expect(same(bytesOf((await loaded).result), body)).toBe(true);
    expect(fetches()).toBe(1);
  });

  it("a body that ends short of its Content-Length fails the page's stream and is not stored", async () => {
    const network = new ControlledBody(false);
    const { engine } = engineWith(new MemoryStore(), [network], { "content-length": String(SIZE + 10) });
    const answer = streamedOf(await engine.answer(URL_, ctx(), { stream: true }));
    network.send(SIZE);
    await expect(readAll(answer.stream.getReader())).rejects.toMatchObject({ code: "NETWORK" });
    await answer.settled;
    expect(await engine.storedMeta(URL_)).toBeUndefined();
  });

  it("a body of unknown length that ends within one piece is answered whole, with its size, and stored with its own SHA-256", async () => {
    const small = assetBytes(300_000);
    const store = new MemoryStore();
    const chunked = () => new ReadableStream<Uint8Array>({
      start(controller) {
        for (let offset = 0; offset < small.length; offset += PART) controller.enqueue(small.slice(offset, offset + PART));
        controller.close();
      },
    });
    const engine = new FetchEngine({ store, ownOrigin: null, fetch: async () => new Response(chunked(), { headers: { etag: '"s1"', "cache-control": "max-age=60" } }) });
    const answer = await engine.answer(URL_, ctx(), { stream: true });
    if (!answer.ok) throw new Error(answer.error.message);
    expect(answer.value.stream).toBeUndefined();
    expect(answer.value.size).toBe(small.length);
    expect(same(answer.value.bytes!, small)).toBe(true);
    await engine.flush();
    const [meta] = await store.listMetas();
    expect(meta?.integrity).toBe(await sha256Integrity(small));
  });

  it("a body of at most one piece, or a Range request's (no stream option), is answered whole as before", async () => {
    const engine = new FetchEngine({ store: new MemoryStore(), ownOrigin: null, fetch: async () => new Response(assetBytes(1000) as BodyInit, { headers: { "content-length": "1000" } }) });
    const answer = await engine.answer(URL_, ctx(), { stream: true });
    expect(answer.ok && answer.value.stream === undefined && answer.value.bytes?.length).toBe(1000);
    const network = new ControlledBody(true);
    const { engine: other } = engineWith(new MemoryStore(), [network]);
    const whole = await other.answer(URL_, ctx());
    expect(whole.ok && whole.value.stream === undefined && same(whole.value.bytes!, body)).toBe(true);
  });
});
