import { expect, test } from "./support/assetWorkerTest.js";
import { expectCrossOriginRevalidation } from "./support/crossOriginRevalidation.js";

test.describe("service worker backend: revalidation, counted at the origin", () => {
  test.beforeEach(async ({ app }) => {
    await app.open("auto");
    await app.waitForControl();
  });

  test("unchanged assets revalidate as one conditional request each, answered 304 without a body", async ({ app }) => {
    const { origin, sameOriginBase } = app.servers;
    const paths = ["/reval/a.txt", "/reval/b.txt", "/reval/c.txt"];
    for (const path of paths) origin.setAsset(path, `body of ${path}`);
    const urls = paths.map((path) => `${sameOriginBase}${path}`);

    const first = await app.page.evaluate((all) => window.simvx.loadAll(all), urls);
    expect(first.map((report) => report.ok && report.servedFrom)).toEqual(["network", "network", "network"]);
    origin.reset();

    const second = await app.page.evaluate((all) => window.simvx.loadAll(all), urls);
    for (const [index, report] of second.entries()) {
      expect(report).toMatchObject({ ok: true, via: "service-worker", servedFrom: "revalidated", text: `body of ${paths[index]}` });
    }
    expect(origin.counts.requests).toBe(3);
    expect(origin.counts.conditionalRequests).toBe(3);
    expect(origin.counts.notModified).toBe(3);
    expect(origin.counts.bodyBytes).toBe(0);
  });

  test("a changed asset comes back new", async ({ app }) => {
    const { origin, sameOriginBase } = app.servers;
    origin.setAsset("/reval/changing.txt", "version one");
    const url = `${sameOriginBase}/reval/changing.txt`;
    expect(await app.page.evaluate((u) => window.simvx.load(u), url)).toMatchObject({ ok: true, text: "version one" });

    origin.setAsset("/reval/changing.txt", "version two, longer");
    const changed = await app.page.evaluate((u) => window.simvx.load(u), url);
    expect(changed).toMatchObject({ ok: true, servedFrom: "network", text: "version two, longer" });
    // And what is stored now is the new version: the next load is a 304 for it.
    const again = await app.page.evaluate((u) => window.simvx.load(u), url);
    expect(again).toMatchObject({ ok: true, servedFrom: "revalidated", text: "version two, longer" });
  });

  test("cross-origin revalidation uses the ETag when the origin exposes it", async ({ app }) => {
    const { origin } = app.servers;
    origin.setAsset("/reval/cross-etag.txt", "cross origin with etag");
    const url = `${origin.url}/reval/cross-etag.txt`;
    const first = await app.page.evaluate((u) => window.simvx.load(u), url);
    expect(first).toMatchObject({ ok: true, servedFrom: "network" });
    expect(first.ok && first.version).toMatch(/^"/);
    origin.reset();

    const second = await app.page.evaluate((u) => window.simvx.load(u), url);
    expect(second).toMatchObject({ ok: true, servedFrom: "revalidated", text: "cross origin with etag" });
    expectCrossOriginRevalidation(origin.counts, 1);
  });

  test("cross-origin revalidation falls back to Last-Modified when the ETag is not exposed", async ({ app }) => {
    const { origin } = app.servers;
    // A response's own headers override the origin's defaults: this one hides its ETag from scripts.
    const hideEtag = { headers: { "access-control-expose-headers": "Last-Modified, Content-Length" }, lastModified: new Date(Date.now() - 60_000) };
    origin.setAsset("/reval/cross-lm.txt", "cross origin, last-modified only", hideEtag);
    const url = `${origin.url}/reval/cross-lm.txt`;
    const first = await app.page.evaluate((u) => window.simvx.load(u), url);
    expect(first).toMatchObject({ ok: true, servedFrom: "network" });
    expect(first.ok && first.version).not.toMatch(/^"/);
    origin.reset();

    const second = await app.page.evaluate((u) => window.simvx.load(u), url);
    expect(second).toMatchObject({ ok: true, servedFrom: "revalidated", text: "cross origin, last-modified only" });
    expectCrossOriginRevalidation(origin.counts, 1);
  });

  test("two pages loading the same uri at once cause one request at the origin", async ({ app }) => {
    const { origin, pageOrigin } = app.servers;
    origin.setAsset("/reval/together.txt", "fetched once for both pages");
    origin.fault("/reval/together.txt", { kind: "hold", times: 1 });
    const url = `${origin.url}/reval/together.txt`;
    const second = await app.session.newPage();
    await second.goto(`${pageOrigin}/index.html?backend=auto`);
    await second.waitForFunction(() => document.getElementById("status")?.textContent === "ready" && window.simvx.controlled());

    await app.page.evaluate((u) => window.simvx.start("one", u), url);
    await origin.waitForRequests("/reval/together.txt", 1);
    await second.evaluate((u) => window.simvx.start("two", u), url);
    // Give the second page's call time to reach the worker and join the request in flight.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    origin.release();

    const [one, two] = await Promise.all([app.page.evaluate(() => window.simvx.settle("one")), second.evaluate(() => window.simvx.settle("two"))]);
    expect(one).toMatchObject({ ok: true, via: "service-worker", text: "fetched once for both pages" });
    expect(two).toMatchObject({ ok: true, via: "service-worker", text: "fetched once for both pages" });
    expect(origin.counts.byPath["/reval/together.txt"]).toBe(1);
  });
});
