import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AssetError } from "../kernel/AssetError.js";
import { FetchEngine } from "../engine/FetchEngine.js";
import { MemoryStore } from "../engine/MemoryStore.js";
import { assetBytes } from "../../test/support/engine/engineHarness.js";
import { startTestOrigin } from "../../test/support/engine/testOrigin.js";
import type { TestOrigin } from "../../test/support/engine/testOrigin.js";
import { sha256Integrity } from "../kernel/verifyIntegrity.js";
import type { HttpBackend } from "../kernel/HttpBackend.js";
import { InPageBackend } from "../transport/InPageBackend.js";
import { HttpSource } from "./HttpSource.js";
import { readContext } from "../../test/support/sources/readContext.js";

let origin: TestOrigin;
let backend: InPageBackend;
let source: HttpSource;

beforeEach(async () => {
  origin = await startTestOrigin();
  backend = new InPageBackend(new FetchEngine({ store: new MemoryStore(), retryTiming: { baseDelayMs: 1 } }));
  source = new HttpSource(backend);
});
afterEach(() => origin.close());

describe("HttpSource", () => {
  it("reads bytes with the ETag as version, reporting real byte progress", async () => {
    origin.setAsset("/a.bin", assetBytes(4000), { etag: '"v1"' });
    const ctx = readContext();
    const result = await source.read(`${origin.url}/a.bin`, ctx);
    expect(result).toEqual({ bytes: assetBytes(4000), version: '"v1"', servedFrom: "network" });
    expect(ctx.progress.at(-1)).toEqual([4000, 4000]);
  });

  it("a read with the current known version answers notModified after a 304", async () => {
    origin.setAsset("/a.bin", assetBytes(100), { etag: '"v1"' });
    const result = await source.read(`${origin.url}/a.bin`, readContext({ knownVersion: '"v1"' }));
    expect(result).toEqual({ notModified: true, version: '"v1"', servedFrom: "revalidated" });
    expect(origin.counts.notModified).toBe(1);
  });

  it("cache: false bypasses the persistent cache", async () => {
    origin.setAsset("/a.bin", assetBytes(100));
    await source.read(`${origin.url}/a.bin`, readContext({ cache: false }));
    expect(await backend.stats()).toMatchObject({ entries: 0 });
  });

  it("integrity, maxBytes and retries reach the engine", async () => {
    origin.setAsset("/a.bin", assetBytes(100));
    const wrong = await sha256Integrity(assetBytes(100, 3));
    await expect(source.read(`${origin.url}/a.bin`, readContext({ integrity: wrong }))).rejects.toMatchObject({ code: "INTEGRITY" });
    await expect(source.read(`${origin.url}/a.bin`, readContext({ maxBytes: 10 }))).rejects.toMatchObject({ code: "TOO_LARGE" });
    origin.fault("/a.bin", { kind: "status", status: 503, times: 1 });
    origin.reset();
    await source.read(`${origin.url}/a.bin`, readContext({ retries: 1 }));
    expect(origin.counts.requests).toBe(2);
  });

  it("a source made with revalidate 'head' revalidates with HEAD", async () => {
    origin.setAsset("/a.bin", assetBytes(100));
    const heads = new HttpSource(backend, "head");
    await heads.read(`${origin.url}/a.bin`, readContext());
    const result = await heads.read(`${origin.url}/a.bin`, readContext());
    expect(result).toMatchObject({ servedFrom: "revalidated" });
    expect(origin.counts.heads).toBe(1);
  });

  it("a cancelled read rejects with CANCELLED", async () => {
    origin.setAsset("/slow.bin", assetBytes(50_000));
    origin.fault("/slow.bin", { kind: "stall", sendBytes: 100 });
    const controller = new AbortController();
    const pending = source.read(`${origin.url}/slow.bin`, readContext({ signal: controller.signal }));
    await origin.waitForRequests("/slow.bin", 1);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: "CANCELLED", uri: `${origin.url}/slow.bin` });
  });

  it("invalidateCache and clearCache reach the persistent cache", async () => {
    origin.setAsset("/a.bin", assetBytes(100));
    origin.setAsset("/b.bin", assetBytes(100));
    await source.read(`${origin.url}/a.bin`, readContext());
    await source.read(`${origin.url}/b.bin`, readContext());
    await source.invalidateCache(`${origin.url}/a.bin`);
    expect(await backend.stats()).toMatchObject({ entries: 1 });
    await source.clearCache();
    expect(await backend.stats()).toMatchObject({ entries: 0 });
  });

  it("a backend that throws something else still fails with an AssetError", async () => {
    const failing: HttpBackend = {
      kind: "in-page",
      fetch: () => Promise.reject(new TypeError("boom")),
      invalidate: () => Promise.resolve(),
      clear: () => Promise.resolve(),
      stats: () => Promise.resolve({ entries: 0, bytes: 0, budgetBytes: 0 }),
      dispose: () => undefined,
    };
    const error = await new HttpSource(failing).read("https://example.test/a", readContext()).catch((value: unknown) => value);
    expect(error).toBeInstanceOf(AssetError);
    expect(error).toMatchObject({ code: "NETWORK", uri: "https://example.test/a" });
  });
});
