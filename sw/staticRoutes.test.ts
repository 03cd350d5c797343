import { describe, expect, it } from "vitest";
import { staticRoutes } from "./staticRoutes.js";

const WORKER = "https://game.test/app/asset-sw.js";

describe("staticRoutes", () => {
  it("sends pkg files, intercept prefixes and the app shell to the worker, and the rest to the network while it is not running", () => {
    expect(staticRoutes({ workerUrl: WORKER, pkgPrefixes: ["assets/pkg/"], intercept: ["https://cdn.test:8443/music (live)/"], precached: ["index.html"] })).toEqual([
      { condition: { urlPattern: { protocol: "https", hostname: "game.test", port: "", pathname: "/app/assets/pkg/*" }, requestMethod: "GET" }, source: "fetch-event" },
      { condition: { urlPattern: { protocol: "https", hostname: "cdn.test", port: "8443", pathname: "/music%20\\(live\\)/*" }, requestMethod: "GET" }, source: "fetch-event" },
      { condition: { requestMode: "navigate" }, source: "fetch-event" },
      { condition: { urlPattern: { protocol: "https", hostname: "game.test", port: "", pathname: "/app/index.html" } }, source: "fetch-event" },
      { condition: { runningStatus: "not-running" }, source: "network" },
    ]);
  });

  it("with a RegExp rule, nothing goes to the network past the worker: a pattern cannot express it", () => {
    const rules = staticRoutes({ workerUrl: WORKER, pkgPrefixes: ["assets/pkg/"], intercept: [/\.mp3$/], precached: [] });
    expect(rules?.some((rule) => rule.source === "network")).toBe(false);
  });

  it("a prefix with a query cannot be a pattern: no routes at all", () => {
    expect(staticRoutes({ workerUrl: WORKER, pkgPrefixes: [], intercept: ["https://cdn.test/get?file="], precached: [] })).toBeNull();
  });
});
