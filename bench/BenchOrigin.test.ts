import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AssetStore } from "./AssetStore.js";
import { BenchOrigin } from "./BenchOrigin.js";

let temp: string;
let store: AssetStore;
let origin: BenchOrigin;

beforeAll(async () => {
  temp = await mkdtemp(join(tmpdir(), "bench-origin-"));
  await mkdir(join(temp, "site", "plain"), { recursive: true });
  await writeFile(join(temp, "site", "plain", "index.html"), "<!doctype html>");
  store = await AssetStore.generate(join(temp, "assets"), { smallCount: 3, smallBytes: 256, largeCount: 1, largeBytes: 4096, imageCount: 1 });
  origin = await BenchOrigin.start(store, join(temp, "site"));
});

afterAll(async () => {
  await origin.close();
  await rm(temp, { recursive: true, force: true });
});

describe("BenchOrigin", () => {
  it("serves an asset with a strong ETag and counts the request and its body bytes", async () => {
    origin.assets.takeCounters();
    const response = await fetch(`${origin.url}/assets/small/0001.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get("etag")).toMatch(/^"[^"]+"$/);
    expect(((await response.json()) as { id: number }).id).toBe(1);
    expect(origin.assets.takeCounters()).toEqual({ requests: 1, notModified: 0, bodyBytes: 256, refused: 0 });
  });

  it("answers a matching If-None-Match with 304 and no body, and a changed asset with 200", async () => {
    const path = "/assets/small/0002.json";
    const etag = (await fetch(`${origin.url}${path}`)).headers.get("etag") as string;
    origin.assets.takeCounters();
    const unchanged = await fetch(`${origin.url}${path}`, { headers: { "If-None-Match": etag } });
    expect(unchanged.status).toBe(304);
    await store.bump(path);
    const changed = await fetch(`${origin.url}${path}`, { headers: { "If-None-Match": etag } });
    expect(changed.status).toBe(200);
    expect(((await changed.json()) as { rev: number }).rev).toBe(1);
    expect(origin.assets.takeCounters()).toMatchObject({ requests: 2, notModified: 1, bodyBytes: 256 });
    await store.reset();
    expect((await fetch(`${origin.url}${path}`, { headers: { "If-None-Match": etag } })).status).toBe(304);
  });

  it("labels assets with the current cache policy", async () => {
    origin.assets.cachePolicy = "max-age";
    expect((await fetch(`${origin.url}/assets/large/0000.bin`)).headers.get("cache-control")).toBe("max-age=3600");
    origin.assets.cachePolicy = "no-cache";
    expect((await fetch(`${origin.url}/assets/large/0000.bin`)).headers.get("cache-control")).toBe("no-cache");
  });

  it("serves the image set as PNGs labelled image/png", async () => {
    const response = await fetch(`${origin.url}/assets/img/0000.png`);
    expect(response.headers.get("content-type")).toBe("image/png");
    expect([...new Uint8Array(await response.arrayBuffer()).subarray(1, 4)]).toEqual([0x50, 0x4e, 0x47]);
  });

  it("offline: asset requests fail at the network level and are counted, while pages still load", async () => {
    origin.assets.takeCounters();
    origin.assets.offline = true;
    try {
      await expect(fetch(`${origin.url}/assets/small/0000.json`)).rejects.toThrow();
      expect((await fetch(`${origin.url}/plain/`)).status).toBe(200);
    } finally {
      origin.assets.offline = false;
    }
    expect(origin.assets.takeCounters()).toMatchObject({ refused: 1, bodyBytes: 0 });
  });

  it("does not count page requests, and refuses paths that climb out of the site", async () => {
    origin.assets.takeCounters();
    expect((await fetch(`${origin.url}/plain/index.html`)).status).toBe(200);
    expect((await fetch(`${origin.url}/%2e%2e/%2e%2e/etc/passwd`)).status).not.toBe(200);
    expect((await fetch(`${origin.url}/assets/small/9999.json`)).status).toBe(404);
    expect(origin.assets.takeCounters().requests).toBe(1);
  });
});

describe("BenchOrigin pages", () => {
  it("serves pages cross-origin isolated, so page timers are precise", async () => {
    const response = await fetch(`${origin.url}/plain/index.html`);
    expect(response.headers.get("cross-origin-opener-policy")).toBe("same-origin");
    expect(response.headers.get("cross-origin-embedder-policy")).toBe("require-corp");
  });
});
