import { engineHas } from "./engines/features.js";
import type { HandleReport, LoadReport } from "./pages/main.js";
import { type AssetWorkerApp, expect, lacks, needs, test } from "./support/assetWorkerTest.js";
import { recordFigures } from "./support/figures.js";

/** What the test origin puts in every error body it sends: it must never reach an error. */
const SECRET = "SECRET-RESPONSE-BODY";

/**
 * Hands URLs of every scheme but http(s) to the worker (through the backend and through the
 * AssetServer), then loads one http control through it.
 */
async function refuseThenControl(app: AssetWorkerApp): Promise<{ refused: Array<[string, string]>; reports: LoadReport[]; handles: HandleReport[] }> {
  const { origin } = app.servers;
  const blob = await app.page.evaluate(() => window.simvx.blobUrl("made by the page"));
  const refused: Array<[string, string]> = [
    ["data:text/plain,inline%20bytes", "UNSUPPORTED_SCHEME"],
    ["file:///etc/hostname", "UNSUPPORTED_SCHEME"],
    [blob, "UNSUPPORTED_SCHEME"],
    ["javascript:void(0)", "UNSUPPORTED_SCHEME"],
    ["about:blank", "UNSUPPORTED_SCHEME"],
    [`ftp://127.0.0.1:${origin.port}/sec/ftp.txt`, "UNSUPPORTED_SCHEME"],
    [`ws://127.0.0.1:${origin.port}/sec/socket.txt`, "UNSUPPORTED_SCHEME"],
    // Credentials in a URL would end up in the cache key; fetch() refuses them anyway.
    [`http://user:password@127.0.0.1:${origin.port}/sec/credentials.txt`, "INVALID_URI"],
  ];
  for (const path of ["/sec/ftp.txt", "/sec/socket.txt", "/sec/credentials.txt", "/sec/control.txt"]) origin.setAsset(path, `served ${path}`);
  const urls = refused.map(([url]) => url);
  const reports = await app.page.evaluate((all) => window.simvx.loadAll(all), urls);
  const handles = await app.page.evaluate((all) => window.simvx.loadGroup(all), urls);
  const control = await app.page.evaluate((url) => window.simvx.load(url), `${origin.url}/sec/control.txt`);
  expect(control).toMatchObject({ ok: true, via: "service-worker", text: "served /sec/control.txt" });
  return { refused, reports, handles };
}

test.describe("reliability: what the worker refuses and what errors never carry", () => {
  test.beforeEach(async ({ app }) => {
    await app.open("auto");
    await app.waitForControl();
  });

  test("non-http(s) URLs handed to the worker as HTTP requests fail with a code and nothing is fetched", async ({ app }) => {
    const { origin } = app.servers;
    const { refused, reports, handles } = await refuseThenControl(app);
    for (const [index, report] of reports.entries()) {
      const [url, code] = refused[index]!;
      expect(report, url).toMatchObject({ ok: false, name: "AssetError", code, via: "service-worker" });
    }
    // The same URLs through the AssetServer: no source takes them, or the worker refuses them;
    // file:// is the FileSource's, which in a browser reads the origin's private file system, not
    // the disk (and where the browser has none, refuses the scheme).
    const fileCode = engineHas("opfs") ? "NOT_FOUND" : "UNSUPPORTED_SCHEME";
    for (const [index, handle] of handles.entries()) {
      const [url, code] = refused[index]!;
      expect(handle, url).toMatchObject({ state: "failed", code: url.startsWith("file:") ? fileCode : code });
    }
    // Only the control reached the origin.
    expect(Object.keys(origin.counts.byPath)).toEqual(["/sec/control.txt"]);

    recordFigures({
      refusedThroughWorker: Object.fromEntries(reports.map((report, index) => [refused[index]![0].slice(0, 60), report.ok ? "loaded" : report.code])),
      refusedThroughAssetServer: handles.map((handle) => handle.code),
      originRequestsPerPath: origin.counts.byPath,
    });
  });

  // The URLs that never reach an origin (data:, blob:, about:) are seen fetched or not only in the browser's own log.
  needs(["workerRequestLog"], () => {
    test("the browser's log shows the worker made no request for the refused URLs", async ({ app }) => {
      const workerRequests: string[] = [];
      app.session.onWorkerRequest?.((url) => workerRequests.push(url));
      await refuseThenControl(app);
      // The control, an http load through the worker, is seen by the same observer.
      expect(workerRequests).toEqual([`${app.servers.origin.url}/sec/control.txt`]);
      recordFigures({ workerNetworkRequests: workerRequests.length });
    });
  });

  test("errors and retry notices never contain the origin's response body", async ({ app }) => {
    const { origin } = app.servers;
    const statuses = [400, 401, 403, 404, 410, 418, 429, 451, 500, 502, 503, 504];
    const urls = statuses.map((status) => {
      const path = `/sec/status-${status}.txt`;
      origin.setAsset(path, "never served whole");
      // Retried statuses fail twice (the first try and the one retry), with Retry-After: 0 so the retry is quick.
      origin.fault(path, { kind: "status", status, retryAfter: "0" });
      return `${origin.url}${path}`;
    });

    await app.page.evaluate((all) => window.simvx.startGroup("statuses", all, { retries: 1 }), urls);
    const handles = await app.page.evaluate(() => window.simvx.settleGroup("statuses"));
    const direct = await app.page.evaluate((all) => window.simvx.loadAll(all, { retries: 0 }), urls);

    recordFigures({
      statuses: Object.fromEntries(handles.handles.map((handle, index) => [statuses[index], `${handle.code} ${handle.status}, ${handle.retriesAnnounced} retries announced`])),
      originRequests: origin.counts.requests,
      originErrorBodyBytes: origin.counts.bodyBytes,
    });
    // The origin did send its bodies: the test would prove nothing otherwise.
    expect(origin.counts.bodyBytes).toBeGreaterThan(0);
    for (const [index, handle] of handles.handles.entries()) {
      const status = statuses[index]!;
      const code = status === 404 || status === 410 ? "NOT_FOUND" : "HTTP";
      expect(handle, String(status)).toMatchObject({ state: "failed", code, status });
      expect(handle.errorText, String(status)).not.toContain(SECRET);
      expect(handle.retryErrorsText, String(status)).not.toContain(SECRET);
      const retried = status >= 500 || status === 429;
      expect(handle.retriesAnnounced, String(status)).toBe(retried ? 1 : 0);
    }
    for (const [index, report] of direct.entries()) {
      expect(report, String(statuses[index])).toMatchObject({ ok: false, name: "AssetError", status: statuses[index], via: "service-worker" });
      expect(JSON.stringify(report)).not.toContain(SECRET);
    }
    const consoleText = (await app.page.consoleMessages()).map((message) => message.text);
    expect(consoleText.filter((text) => text.includes(SECRET))).toEqual([]);
  });

  test("the worker ignores messages that are not our calls, and keeps serving", async ({ app }) => {
    const { origin } = app.servers;
    origin.setAsset("/sec/after-junk.txt", "still serving");
    const junk = await app.page.evaluate(() => window.simvx.postJunk());
    // Another app's message with a port: the worker must not expose its API on that port.
    await app.page.evaluate(() => window.simvx.rawCall("foreign", "other-app:call"));
    // A well-formed call made by hand is answered: the probe itself works.
    await app.page.evaluate(() => window.simvx.rawCall("ours", "simvx-assets:call"));
    await app.page.waitForFunction(() => window.simvx.rawAnswer("ours") !== null);

    const after = await app.page.evaluate((url) => window.simvx.load(url), `${origin.url}/sec/after-junk.txt`);
    expect(after).toMatchObject({ ok: true, via: "service-worker", text: "still serving" });
    expect(await app.page.evaluate(() => window.simvx.rawAnswer("ours"))).toMatchObject({ ok: true, value: { version: expect.any(String) } });
    // Posted before "ours" and before the load, which were both answered since: no answer is coming.
    expect(await app.page.evaluate(() => window.simvx.rawAnswer("foreign"))).toBeNull();

    recordFigures({ junkMessagesPosted: junk, foreignCallAnswered: false, ownCallAnswered: true, loadAfterJunk: after.ok });
  });

  lacks("serviceWorkerInDedicatedWorkers", () => {
    test("a dedicated worker of the page cannot reach the service worker, so only windows can post to it", async ({ app }) => {
      expect(await app.page.evaluate(() => window.simvx.dedicatedWorkerSeesServiceWorker())).toBe(false);
    });
  });

  // Firefox and WebKit give dedicated workers `navigator.serviceWorker`: a call from one (not a window) must be refused.
  needs(["serviceWorkerInDedicatedWorkers"], () => {
    test("a well-formed batch posted from a dedicated worker is refused: no answer, nothing fetched", async ({ app }) => {
      const { origin } = app.servers;
      origin.setAsset("/sec/from-worker.txt", "never for a worker");
      origin.setAsset("/sec/from-window.txt", "for the window");
      expect(await app.page.evaluate(() => window.simvx.dedicatedWorkerSeesServiceWorker())).toBe(true);
      const fromWorker = app.page.evaluate((url) => window.simvx.batchFromDedicatedWorker(url, 2_000), `${origin.url}/sec/from-worker.txt`);
      // The same call from the window, posted after it, is answered meanwhile: the worker was serving.
      const fromWindow = await app.page.evaluate((url) => window.simvx.load(url), `${origin.url}/sec/from-window.txt`);
      expect(fromWindow).toMatchObject({ ok: true, via: "service-worker", text: "for the window" });
      const refused = await fromWorker;
      recordFigures({ dedicatedWorkerBatch: refused, originRequestsPerPath: origin.counts.byPath });
      expect(refused).toEqual({ posted: true, heard: [] });
      expect(origin.counts.byPath["/sec/from-worker.txt"]).toBeUndefined();
    });
  });
});
