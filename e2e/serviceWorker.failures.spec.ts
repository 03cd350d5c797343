import { startTestOrigin } from "../src/engine/testing/testOrigin.js";
import { expect, test } from "./support/assetWorkerTest.js";
import { within } from "./support/within.js";

test.describe("service worker backend: failures end in the right AssetError", () => {
  test.beforeEach(async ({ app }) => {
    await app.open("auto");
    await app.waitForControl();
  });

  test("cancelling a load closes its connection at the origin", async ({ app }) => {
    const { origin } = app.servers;
    origin.setAsset("/fail/slow.bin", new Uint8Array(64 * 1024));
    origin.fault("/fail/slow.bin", { kind: "stall", sendBytes: 1024 });
    await app.page.evaluate((u) => window.simvx.start("slow", u), `${origin.url}/fail/slow.bin`);
    await origin.waitForRequests("/fail/slow.bin", 1);

    await app.page.evaluate(() => window.simvx.cancel("slow"));
    const report = await app.page.evaluate(() => window.simvx.settle("slow"));
    expect(report).toMatchObject({ ok: false, name: "AssetError", code: "CANCELLED", via: "service-worker" });
    await origin.waitForClientAborts(1);
    expect(origin.counts.clientAborts).toBe(1);
  });

  test("404, 500 and a CORS refusal each end in their code", async ({ app }) => {
    const { origin } = app.servers;
    origin.setAsset("/fail/500.txt", "never served");
    origin.fault("/fail/500.txt", { kind: "status", status: 500 });
    // Allowing another origin than the page's is a refusal the browser enforces.
    origin.setAsset("/fail/cors.txt", "not for this page", { headers: { "access-control-allow-origin": "http://elsewhere.invalid" } });
    const [missing, broken, refused] = await app.page.evaluate(
      (base) => window.simvx.loadAll([`${base}/fail/missing.txt`, `${base}/fail/500.txt`, `${base}/fail/cors.txt`], { retries: 0 }),
      origin.url,
    );
    expect(missing).toMatchObject({ ok: false, name: "AssetError", code: "NOT_FOUND", status: 404, via: "service-worker" });
    expect(broken).toMatchObject({ ok: false, name: "AssetError", code: "HTTP", status: 500, via: "service-worker" });
    // The response body is never part of an error.
    expect(JSON.stringify(broken)).not.toContain("SECRET-RESPONSE-BODY");
    expect(refused).toMatchObject({ ok: false, name: "AssetError", code: "NETWORK", via: "service-worker" });
  });

  test("through the AssetServer, 404, 500, CORS refusal and invalid JSON each fail their handle with their code", async ({ app }) => {
    const { origin } = app.servers;
    origin.setAsset("/fail/server-500.txt", "never served");
    origin.fault("/fail/server-500.txt", { kind: "status", status: 500 });
    origin.setAsset("/fail/server-cors.txt", "not for this page", { headers: { "access-control-allow-origin": "http://elsewhere.invalid" } });
    origin.setAsset("/fail/broken.json", "{ not json", { contentType: "application/json" });
    origin.setAsset("/fail/fine.json", '{ "fine": true }', { contentType: "application/json" });
    const names = ["server-404.txt", "server-500.txt", "server-cors.txt", "broken.json", "fine.json"];
    const reports = await app.page.evaluate((urls) => window.simvx.loadGroup(urls), names.map((name) => `${origin.url}/fail/${name}`));
    expect(reports.map((report) => [report.state, report.code])).toEqual([
      ["failed", "NOT_FOUND"],
      ["failed", "HTTP"],
      ["failed", "NETWORK"],
      ["failed", "PARSE"],
      ["loaded", null],
    ]);
    expect(reports[4]?.value).toBe('{"fine":true}');
    for (const report of reports) expect(report.completedEmits).toBe(1);
  });

  test("with the origin down, cached assets load stale and uncached ones fail with a code within seconds", async ({ app }) => {
    const down = await startTestOrigin();
    down.setAsset("/fail/cached.txt", "kept for offline");
    const cached = `${down.url}/fail/cached.txt`;
    const uncached = `${down.url}/fail/never-loaded.txt`;
    expect(await app.page.evaluate((u) => window.simvx.load(u), cached)).toMatchObject({ ok: true, servedFrom: "network" });
    await down.close();

    const loads = app.page.evaluate(([a, b]) => window.simvx.loadAll([a!, b!], { retries: 0 }), [cached, uncached]);
    const [stale, failed] = await within(15_000, "loads with the origin down", loads);
    expect(stale).toMatchObject({ ok: true, servedFrom: "stale", text: "kept for offline", via: "service-worker" });
    expect(failed).toMatchObject({ ok: false, name: "AssetError", via: "service-worker" });
    expect(["NETWORK", "OFFLINE"]).toContain(failed && !failed.ok ? failed.code : "");
  });
});
