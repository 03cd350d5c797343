import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { RunRequest } from "./benchApi.js";
import { fetchAllAtOnce, fetchInPool } from "./fetchAssets.js";

// A server that holds the answers until `holdUntil` requests are in flight at once (then a
// moment more, in which a loader that went past its limit would send more), and records the most
// it saw in flight. Waiting for the count, not for a fixed time, keeps the figure exact on a
// loaded machine: a fixed 30 ms hold let a slow start answer the first requests early (10 of 20
// seen at once under CI load). Past `GIVE_UP_MS` the answers go anyway, and the count shows it.
const GRACE_MS = 50;
const GIVE_UP_MS = 2_000;
let server: Server;
let base: string;
let inFlight = 0;
let mostInFlight = 0;
let holdUntil = 0;
let held: Array<() => void> = [];
let releaseTimer: ReturnType<typeof setTimeout> | undefined;

function releaseHeld(): void {
  clearTimeout(releaseTimer);
  releaseTimer = undefined;
  // After the first wave every answer goes after the grace: a pool's last wave is smaller.
  holdUntil = 0;
  const answers = held;
  held = [];
  for (const answer of answers) answer();
}

beforeAll(async () => {
  server = createServer((request, response) => {
    inFlight++;
    mostInFlight = Math.max(mostInFlight, inFlight);
    held.push(() => {
      inFlight--;
      const id = Number(/(\d+)/.exec(request.url ?? "")?.[1]);
      if (request.url?.startsWith("/missing")) response.writeHead(404).end();
      else if (request.url?.endsWith(".bin")) response.writeHead(200, { "Content-Length": "3000" }).end(Buffer.alloc(3000, id));
      else response.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ id, rev: id % 2 }));
    });
    if (inFlight >= holdUntil) {
      clearTimeout(releaseTimer);
      releaseTimer = setTimeout(releaseHeld, GRACE_MS);
    } else releaseTimer ??= setTimeout(releaseHeld, GIVE_UP_MS);
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
  holdUntil = 0;
});

function request(paths: string[], kind: RunRequest["kind"] = "json"): RunRequest {
  return { scenario: "test", urls: paths.map((path) => `${base}${path}`), kind, concurrency: 6, gameLoop: null, ours: null };
}

const jsonPaths = Array.from({ length: 20 }, (_, i) => `/a/${i}.json`);

describe("fetchAllAtOnce (the plain-fetch baseline)", () => {
  it("starts every request at once and sums the content it read", async () => {
    holdUntil = jsonPaths.length;
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
    holdUntil = 6;
    const outcome = await fetchInPool(request(jsonPaths));
    expect(mostInFlight).toBe(6);
    expect(outcome).toEqual({ loaded: 20, failed: 0, revSum: 10, bytes: 0 });
  });
});
