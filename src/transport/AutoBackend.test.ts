import { describe, expect, it } from "vitest";
import type { CacheStats, HttpOutcome } from "../kernel/protocol.js";
import { AutoBackend } from "./AutoBackend.js";
import type { HttpBackend } from "../kernel/HttpBackend.js";

function recordingBackend(kind: HttpBackend["kind"], calls: string[], stats: CacheStats = { entries: 0, bytes: 0, budgetBytes: 0 }): HttpBackend {
  const outcome: HttpOutcome = { bytes: new Uint8Array(), version: null, servedFrom: "network" };
  return {
    kind,
    fetch: async (request) => (calls.push(`${kind} fetch ${request.url}`), outcome),
    invalidate: async (url) => void calls.push(`${kind} invalidate ${url}`),
    clear: async () => void calls.push(`${kind} clear`),
    stats: async () => (calls.push(`${kind} stats`), stats),
    dispose: () => void calls.push(`${kind} dispose`),
  };
}

const request = { url: "https://a.test/x", knownVersion: null, cache: true, revalidate: "conditional-get" as const };
const ctx = { signal: new AbortController().signal, onProgress: () => undefined };

describe("AutoBackend", () => {
  it("loads in the page until a worker controls it, then through the worker", async () => {
    const calls: string[] = [];
    const fake: { controller: object | null } = { controller: null };
    const container = fake as unknown as ServiceWorkerContainer;
    let built = 0;
    const backend = new AutoBackend(recordingBackend("in-page", calls), container, () => (built++, recordingBackend("service-worker", calls)));
    expect(backend.kind).toBe("in-page");
    await backend.fetch(request, ctx);
    expect(built).toBe(0);

    fake.controller = {};
    expect(backend.kind).toBe("service-worker");
    await backend.fetch(request, ctx);
    await backend.invalidate("https://a.test/x");
    expect(calls).toEqual(["in-page fetch https://a.test/x", "service-worker fetch https://a.test/x", "service-worker invalidate https://a.test/x"]);
    expect(built).toBe(1);
  });

  it("stays in the page where there is no service worker support", async () => {
    const calls: string[] = [];
    const backend = new AutoBackend(recordingBackend("in-page", calls), null, () => recordingBackend("service-worker", calls));
    await backend.stats();
    expect(backend.kind).toBe("in-page");
    backend.dispose();
    expect(calls).toEqual(["in-page stats", "in-page dispose"]);
  });

  it("counts the requests and files of the page's first loads with the worker's once the worker controls the page", async () => {
    const calls: string[] = [];
    const fake: { controller: object | null } = { controller: {} };
    const inPage = recordingBackend("in-page", calls, { entries: 0, bytes: 0, budgetBytes: 0, requests: 3, files: 40 });
    const worker = recordingBackend("service-worker", calls, { entries: 41, bytes: 900, budgetBytes: 2000, requests: 2 });
    const backend = new AutoBackend(inPage, fake as unknown as ServiceWorkerContainer, () => worker);
    // The store's figures are the worker's; what went over the network adds up.
    expect(await backend.stats()).toEqual({ entries: 41, bytes: 900, budgetBytes: 2000, requests: 5, files: 40 });
    const older = new AutoBackend(recordingBackend("in-page", calls), fake as unknown as ServiceWorkerContainer, () => recordingBackend("service-worker", calls));
    expect(await older.stats()).toEqual({ entries: 0, bytes: 0, budgetBytes: 0 });
  });
});
