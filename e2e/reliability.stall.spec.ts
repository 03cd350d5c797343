import { expect, test } from "./support/assetWorkerTest.js";
import { recordFigures } from "./support/figures.js";
import { within } from "./support/within.js";

const STALL_TIMEOUT_MS = 1_500;

test.describe("reliability: stalled responses through the worker", () => {
  test.beforeEach(async ({ app }) => {
    await app.open("auto");
    await app.waitForControl();
  });

  // Regression test for fbb2cf9: the page's stall backstop used to fire with the engine's own
  // stall timeout and fail the read with TIMEOUT before the worker's retry notice arrived.
  test("a stalled response is retried and loads, whether it stalls before its headers, right after them or mid-body", async ({ app }) => {
    const { origin } = app.servers;
    const cases = [
      ...[0, 1, 2].map((n) => ({ path: `/stall/before-headers-${n}.bin`, fault: { kind: "hold", times: 1 } as const })),
      ...[0, 1, 2].map((n) => ({ path: `/stall/after-headers-${n}.bin`, fault: { kind: "stall", sendBytes: 0, times: 1 } as const })),
      ...[0, 1, 2].map((n) => ({ path: `/stall/mid-body-${n}.bin`, fault: { kind: "stall", sendBytes: 1_000, times: 1 } as const })),
    ];
    for (const { path, fault } of cases) {
      // no-store: the origin answers byte ranges, and Chromium's HTTP cache would complete the
      // stalled response's truncated entry with range requests of its own; counted here are our
      // attempts, one request each.
      origin.setAsset(path, new Uint8Array(4_096).fill(7), { cacheControl: "no-store" });
      origin.fault(path, fault);
    }
    const urls = cases.map(({ path }) => `${origin.url}${path}`);
    await app.page.evaluate(([all, stallTimeoutMs]) => window.simvx.startGroup("stalls", all, { retries: 2, stallTimeoutMs }), [urls, STALL_TIMEOUT_MS] as const);
    const { handles } = await within(30_000, "the stalled batch", app.page.evaluate(() => window.simvx.settleGroup("stalls")));
    origin.release();

    recordFigures({
      stalls: cases.length,
      outcomes: Object.fromEntries(handles.map((report, index) => [cases[index]!.path, `${report.state}${report.code ? ` ${report.code}` : ""}, ${origin.counts.byPath[cases[index]!.path] ?? 0} requests, ${report.retriesAnnounced} retries announced`])),
    });
    for (const [index, report] of handles.entries()) {
      expect(report, `${cases[index]!.path}: ${report.errorText}`).toMatchObject({ state: "loaded", servedFrom: "network", byteLength: 4_096 });
      expect(origin.counts.byPath[cases[index]!.path], cases[index]!.path).toBe(2);
    }
  });
});
