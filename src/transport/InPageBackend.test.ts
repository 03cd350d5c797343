import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AssetError } from "../kernel/AssetError.js";
import { FetchEngine } from "../engine/FetchEngine.js";
import { MemoryStore } from "../engine/MemoryStore.js";
import { assetBytes, BrokenStore, httpRequest } from "../../test/support/engine/engineHarness.js";
import { startTestOrigin } from "../../test/support/engine/testOrigin.js";
import type { TestOrigin } from "../../test/support/engine/testOrigin.js";
import { InPageBackend } from "./InPageBackend.js";

let origin: TestOrigin;
let backend: InPageBackend;

beforeEach(async () => {
  origin = await startTestOrigin();
  backend = new InPageBackend(new FetchEngine({ store: new MemoryStore() }));
});
afterEach(() => origin.close());

function call(signal = new AbortController().signal) {
  return { signal, onProgress: () => undefined };
}

describe("InPageBackend", () => {
  it("loads bytes through the engine in the page", async () => {
    origin.setAsset("/a.bin", assetBytes(100), { etag: '"v1"' });
    expect(backend.kind).toBe("in-page");
    const outcome = await backend.fetch(httpRequest(`${origin.url}/a.bin`), call());
    expect(outcome).toEqual({ bytes: assetBytes(100), version: '"v1"', servedFrom: "network" });
  });

  it("engine failures reject as AssetError with code, uri and status", async () => {
    const url = `${origin.url}/missing.bin`;
    const failure = await backend.fetch(httpRequest(url), call()).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AssetError);
    expect(failure).toMatchObject({ code: "NOT_FOUND", uri: url, status: 404 });
  });

  it("stats, invalidate and clear reach the persistent cache", async () => {
    for (const name of ["a", "b"]) {
      origin.setAsset(`/${name}.bin`, assetBytes(10));
      await backend.fetch(httpRequest(`${origin.url}/${name}.bin`), call());
    }
    expect(await backend.stats()).toMatchObject({ entries: 2, bytes: 20 });
    await backend.invalidate(`${origin.url}/a.bin`);
    expect(await backend.stats()).toMatchObject({ entries: 1, bytes: 10 });
    await backend.clear();
    expect(await backend.stats()).toMatchObject({ entries: 0, bytes: 0 });
  });

  it("a broken store still loads, and its failure shows only where the cache itself is asked", async () => {
    const broken = new InPageBackend(new FetchEngine({ store: new BrokenStore() }));
    origin.setAsset("/a.bin", assetBytes(10));
    expect((await broken.fetch(httpRequest(`${origin.url}/a.bin`), call()))).toHaveProperty("bytes");
    await expect(broken.stats()).rejects.toBeInstanceOf(AssetError);
  });

  it("dispose stops downloads in flight and refuses later calls", async () => {
    origin.setAsset("/slow.bin", assetBytes(50_000));
    origin.fault("/slow.bin", { kind: "stall", sendBytes: 1000 });
    const pending = backend.fetch(httpRequest(`${origin.url}/slow.bin`), call()).catch((error: unknown) => error);
    await origin.waitForRequests("/slow.bin", 1);
    backend.dispose();
    expect(await pending).toMatchObject({ code: "CANCELLED" });
    await origin.waitForClientAborts(1);
    await expect(backend.fetch(httpRequest(`${origin.url}/slow.bin`), call())).rejects.toMatchObject({ code: "CANCELLED" });
  });
});
