import { expect, test } from "./support/assetWorkerTest.js";
import { recordFigures } from "./support/figures.js";
import { within } from "./support/within.js";

const STALL_TIMEOUT_MS = 1_500;

test.describe("reliability: stalled responses through the worker", () => {
  test.beforeEach(async ({ app }) => {
    await app.open("auto");
    await app.waitForControl();
  });

  // KNOWN PRODUCT BUG, hence test.fail(): remove it once this passes. The page's stall watchdog
  // (ReadJob.armStallTimer, core) and the engine's (httpAttempt, in the worker) use the same
  // stallTimeoutMs. The page's is armed when the read starts and on each progress report, so it
  // fires first or at about the same time as the worker's; the worker's retry notice then arrives
  // too late and the handle fails with TIMEOUT ("no progress for 1500 ms") though retries remain.
  // Before the headers it always loses (the page armed first); after them it is a race that the
  // page wins more often than not. In the in-page backend the before-headers case fails the same way.
  test("a stalled response is retried and loads, whether it stalls before its headers, right after them or mid-body", async ({ app }) => {
    test.fail();
    const { origin } = app.servers;
    const cases = [
      ...[0, 1, 2].map((n) => ({ path: `/stall/before-headers-${n}.bin`, fault: { kind: "hold", times: 1 } as const })),
      ...[0, 1, 2].map((n) => ({ path: `/stall/after-headers-${n}.bin`, fault: { kind: "stall", sendBytes: 0, times: 1 } as const })),
      ...[0, 1, 2].map((n) => ({ path: `/stall/mid-body-${n}.bin`, fault: { kind: "stall", sendBytes: 1_000, times: 1 } as const })),
    ];
    for (const { path, fault } of cases) {
      origin.setAsset(path, new Uint8Array(4_096).fill(7));
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
