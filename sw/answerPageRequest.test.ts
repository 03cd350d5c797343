import { describe, expect, it } from "vitest";
import { FetchEngine } from "../src/engine/FetchEngine.js";
import { MemoryStore } from "../src/engine/MemoryStore.js";
import { BODY_CHUNK_BYTES } from "../src/engine/PersistentStore.js";
import { assetBytes } from "../test/support/engine/engineHarness.js";
import { answerPageRequest } from "./answerPageRequest.js";

const URL_ = "https://cdn.test/film.bin";
const SIZE = 3 * BODY_CHUNK_BYTES + 500;
const film = assetBytes(SIZE);

describe("answerPageRequest", () => {
  it("a range of a large file not stored goes to the network as it is, and the file is stored behind it as it streams in", async () => {
    const store = new MemoryStore();
    let piecesPut = 0;
    const putPieces = store.putPieces.bind(store);
    store.putPieces = (url, start, bytes) => (piecesPut++, putPieces(url, start, bytes));
    let network!: ReadableStreamDefaultController<Uint8Array>;
    const body = new ReadableStream<Uint8Array>({ start: (controller) => void (network = controller) });
    const engine = new FetchEngine({
      store,
      ownOrigin: null,
      fetch: async () => new Response(body, { headers: { "content-length": String(SIZE), "cache-control": "max-age=3600" } }),
    });
    const passedOn: Request[] = [];
    const behind: Array<Promise<unknown>> = [];
    const request = new Request(URL_, { headers: { range: "bytes=0-1" } });
    const response = await answerPageRequest({
      engine,
      request,
      route: { url: URL_, reason: "intercept", immutable: false },
      waitUntil: (work) => void behind.push(work),
      fetch: async (page) => (passedOn.push(page), new Response(film.slice(0, 2) as BodyInit, { status: 206 })),
    });
    expect(response.status).toBe(206);
    expect(passedOn).toEqual([request]);
    // Two pieces' worth arrives: both are in the store before the body has ended.
    network.enqueue(film.slice(0, 2 * BODY_CHUNK_BYTES));
    await expect.poll(() => piecesPut).toBe(2);
    expect(await store.getMetas([URL_])).toEqual([undefined]);
    network.enqueue(film.slice(2 * BODY_CHUNK_BYTES));
    network.close();
    await Promise.all(behind);
    const [meta] = await store.getMetas([URL_]);
    expect(meta).toMatchObject({ size: SIZE });
    expect(await engine.readStoredRange(meta!, SIZE - 10, SIZE)).toEqual(film.subarray(SIZE - 10));
  });

  it("a content-hashed pkg file may be kept a year by the page, but not when it answered the file's stable URL", async () => {
    const hashed = "https://app.test/assets/pkg/game/hero-1a2b3c.png";
    const engine = new FetchEngine({ store: new MemoryStore(), ownOrigin: null, fetch: async () => new Response(Uint8Array.of(1, 2, 3) as BodyInit, { headers: { "content-length": "3" } }) });
    const cacheControl = async (stable: boolean): Promise<string | null> => {
      const response = await answerPageRequest({
        engine,
        request: new Request(stable ? "https://app.test/@simvx-pkg/game/hero.png" : hashed),
        route: { url: hashed, reason: "pkg", immutable: true, ...(stable ? { stable: true as const } : {}) },
        waitUntil: () => undefined,
        fetch: async () => Response.error(),
      });
      expect(new Uint8Array(await response.arrayBuffer())).toEqual(Uint8Array.of(1, 2, 3));
      return response.headers.get("cache-control");
    };
    expect(await cacheControl(false)).toBe("max-age=31536000, immutable");
    expect(await cacheControl(true)).toBe("no-cache");
  });
});
