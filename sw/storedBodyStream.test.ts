import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FetchEngine } from "../src/engine/FetchEngine.js";
import { MemoryStore } from "../src/engine/MemoryStore.js";
import type { EntryMeta } from "../src/engine/PersistentStore.js";
import { assetBytes, load } from "../test/support/engine/engineHarness.js";
import { startTestOrigin, type TestOrigin } from "../test/support/engine/testOrigin.js";
import { storedBodyStream } from "./storedBodyStream.js";

const MiB = 2 ** 20;
let origin: TestOrigin;
let store: MemoryStore;
let engine: FetchEngine;
let meta: EntryMeta;
const size = 3 * MiB + 500;
const url = () => `${origin.url}/film.bin`;

beforeEach(async () => {
  origin = await startTestOrigin();
  store = new MemoryStore();
  engine = new FetchEngine({ store });
  origin.setAsset("/film.bin", assetBytes(size), { cacheControl: "max-age=3600" });
  await load(engine, url());
  meta = (await store.getMetas([url()]))[0]!;
});
afterEach(() => origin.close());

async function pieces(stream: ReadableStream<Uint8Array>): Promise<Uint8Array[]> {
  const read: Uint8Array[] = [];
  for (const reader = stream.getReader(); ; ) {
    const { done, value } = await reader.read();
    if (done) return read;
    read.push(value);
  }
}

describe("storedBodyStream", () => {
  it("a large stored range streams back one stored piece at a time, with the right bytes", async () => {
    const body = await storedBodyStream(engine, meta, MiB / 2, 3 * MiB + 100);
    expect(body).toBeInstanceOf(ReadableStream);
    const read = await pieces(body as ReadableStream<Uint8Array>);
    expect(read.map((piece) => piece.length)).toEqual([MiB / 2, MiB, MiB, 100]);
    const joined = new Uint8Array(read.reduce((sum, piece) => sum + piece.length, 0));
    read.reduce((offset, piece) => (joined.set(piece, offset), offset + piece.length), 0);
    // Compared as buffers: a deep equality over 3 MiB element by element takes seconds.
    expect(Buffer.from(joined).equals(assetBytes(size).subarray(MiB / 2, 3 * MiB + 100))).toBe(true);
  });

  it("a range within one piece is read at once", async () => {
    expect(await storedBodyStream(engine, meta, 10, 20)).toEqual(assetBytes(size).subarray(10, 20));
  });

  it("a damaged first piece gives null (the caller fetches again); a damaged later one errors the stream, never serving it", async () => {
    store.damageChunk(url(), 2, new Uint8Array(MiB));
    const stream = (await storedBodyStream(engine, meta, 0, size)) as ReadableStream<Uint8Array>;
    await expect(pieces(stream)).rejects.toThrow(/damaged/);
    expect(await store.getMetas([url()])).toEqual([undefined]);
    await load(engine, url());
    const again = (await store.getMetas([url()]))[0]!;
    store.damageChunk(url(), 0, new Uint8Array(MiB));
    expect(await storedBodyStream(engine, again, 0, size)).toBeNull();
  });
});
