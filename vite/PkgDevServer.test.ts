import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { PkgIndex } from "../src/kernel/PkgIndex.js";
import { PkgDevServer } from "./PkgDevServer.js";

let root: string;
let dev: PkgDevServer;
let server: Server;
let origin: string;

/** A raw request: Node's client sends the path exactly as written (no dot-segment clean-up). */
function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: Headers }> {
  return new Promise((resolve, reject) => {
    const req = request(`${origin}/`, { path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), headers: new Headers(res.headers as Record<string, string>) }));
    });
    req.on("error", reject);
    req.end();
  });
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "simvx-pkg-dev-"));
  await mkdir(join(root, "game/sprites"), { recursive: true });
  await writeFile(join(root, "game/sprites/hero.png"), "hello");
  await writeFile(join(root, "game/level 1.json"), '{"w":1}');
  await writeFile(join(root, "secret.txt"), "outside");
  dev = new PkgDevServer({ packages: { game: join(root, "game") }, base: "/app/", indexPath: "simvx-assets/pkg-index.json" });
  server = createServer((req, res) => dev.handle(req, res, () => res.writeHead(418).end("next")));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(root, { recursive: true, force: true });
});

describe("PkgDevServer", () => {
  it("serves the index at its path under the base, and each listed URL serves that file", async () => {
    const response = await get("/app/simvx-assets/pkg-index.json");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    const index = JSON.parse(response.body) as PkgIndex;
    const files = index.packages.game!.files;
    expect(Object.keys(files)).toEqual(["level 1.json", "sprites/hero.png"]);
    expect(files["sprites/hero.png"]).toEqual({ url: "/app/@simvx-pkg/game/sprites/hero.png", size: 5, sha256: "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", immutable: false });
    const level = await get(files["level 1.json"]!.url);
    expect(level.status).toBe(200);
    expect(level.body).toBe('{"w":1}');
    expect(level.headers.get("content-type")).toBe("application/json");
  });

  it("answers 304 when If-None-Match names the file's current ETag, and 200 once it changed", async () => {
    const first = await get("/app/@simvx-pkg/game/sprites/hero.png");
    const etag = first.headers.get("etag")!;
    expect(etag).toBe('"2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"');
    expect((await get("/app/@simvx-pkg/game/sprites/hero.png", { "If-None-Match": etag })).status).toBe(304);
    await writeFile(join(root, "game/sprites/hero.png"), "world");
    const changed = await get("/app/@simvx-pkg/game/sprites/hero.png", { "If-None-Match": etag });
    expect(changed.status).toBe(200);
    expect(changed.body).toBe("world");
  });

  it.each([
    "/app/@simvx-pkg/game/../secret.txt",
    "/app/@simvx-pkg/game/%2e%2e/secret.txt",
    "/app/@simvx-pkg/game/sprites%2f..%2f..%2fsecret.txt",
    "/app/@simvx-pkg/game/..%5csecret.txt",
    "/app/@simvx-pkg/nope/secret.txt",
    "/app/@simvx-pkg/game/",
    "/app/@simvx-pkg/game",
    "/app/@simvx-pkg/%2e%2e/secret.txt",
  ])("never serves anything outside the package folder: %s", async (path) => {
    const response = await get(path);
    expect(response.status).toBe(404);
    expect(response.body).not.toContain("outside");
  });

  it("passes other requests on", async () => {
    expect((await get("/app/index.html")).status).toBe(418);
    expect((await get("/@simvx-pkg/game/sprites/hero.png")).status).toBe(418);
  });

  it("keeps the index until invalidate(), then lists the files on disk now", async () => {
    const before = JSON.parse((await get("/app/simvx-assets/pkg-index.json")).body) as PkgIndex;
    await writeFile(join(root, "game/new.txt"), "new");
    const cached = JSON.parse((await get("/app/simvx-assets/pkg-index.json")).body) as PkgIndex;
    expect(cached).toEqual(before);
    dev.invalidate();
    const after = JSON.parse((await get("/app/simvx-assets/pkg-index.json")).body) as PkgIndex;
    expect(after.packages.game!.files["new.txt"]).toMatchObject({ size: 3, url: "/app/@simvx-pkg/game/new.txt" });
  });

  it("tells which package a changed file belongs to", () => {
    expect(dev.packageOf(join(root, "game/sprites/hero.png"))).toEqual({ packageName: "game", path: "sprites/hero.png" });
    expect(dev.packageOf(join(root, "gameplay/x.png"))).toBeNull();
    expect(dev.packageOf(join(root, "secret.txt"))).toBeNull();
  });
});
