import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { RunRequest } from "./benchApi.js";
import { fetchAllAtOnce, fetchInPool } from "./fetchAssets.js";

// A server that holds every answer for a moment, so requests the loader starts together overlap
// at the server, and records the most it saw in flight at once.
let server: Server;
let base: string;
let inFlight = 0;
let mostInFlight = 0;

beforeAll(async () => {
  server = createServer((request, response) => {
    inFlight++;
    mostInFlight = Math.max(mostInFlight, inFlight);
    setTimeout(() => {
      inFlight--;
      const id = Number(/(\d+)/.exec(request.url ?? "")?.[1]);
      if (request.url?.startsWith("/missing")) response.writeHead(404).end();
      else if (request.url?.endsWith(".bin")) response.writeHead(200, { "Content-Length": "3000" }).end(Buffer.alloc(3000, id));
      else response.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ id, rev: id % 2 }));
    }, 30);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  mostInFlight = 0;
});

function request(paths: string[], kind: RunRequest["kind"] = "json"): RunRequest {
  return { scenario: "test", urls: paths.map((path) => `${base}${path}`), kind, concurrency: 6, gameLoop: null, ours: null };
}

const jsonPaths = Array.from({ length: 20 }, (_, i) => `/a/${i}.json`);

describe("fetchAllAtOnce (the plain-fetch baseline)", () => {
  it("starts every request at once and sums the content it read", async () => {
    const outcome = await fetchAllAtOnce(request(jsonPaths));
    expect(mostInFlight).toBe(20);
    expect(outcome).toEqual({ loaded: 20, failed: 0, revSum: 10, bytes: 0 });
  });

  it("reads binary bodies whole and counts a failed asset without losing the others", async () => {
    const outcome = await fetchAllAtOnce(request(["/b/1.bin", "/b/2.bin", "/missing/3.bin"], "binary"));
    expect(outcome).toEqual({ loaded: 2, failed: 1, revSum: 0, bytes: 6000 });
  });
});

describe("fetchInPool (plain fetch, pool of 6)", () => {
  it("never has more than `concurrency` requests in flight, and loads the same content", async () => {
    const outcome = await fetchInPool(request(jsonPaths));
    expect(mostInFlight).toBe(6);
    expect(outcome).toEqual({ loaded: 20, failed: 0, revSum: 10, bytes: 0 });
  });
});
