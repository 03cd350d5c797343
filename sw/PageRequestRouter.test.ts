import { describe, expect, it } from "vitest";
import { PageRequestRouter, type PageRequestRouterOptions, type RoutedRequest } from "./PageRequestRouter.js";

const WORKER = "https://game.test/app/asset-sw.js";

function router(options: Partial<PageRequestRouterOptions> = {}): PageRequestRouter {
  return new PageRequestRouter({ workerUrl: WORKER, allowedOrigins: null, pkgPrefixes: ["assets/pkg/"], pkgImmutable: true, intercept: [], precached: ["index.html", "assets/index-abc.js"], holds: () => false, ...options });
}

const get = (url: string, extra: Partial<RoutedRequest> = {}): RoutedRequest => ({ url, method: "GET", mode: "no-cors", ...extra });

describe("PageRequestRouter", () => {
  it("answers pkg files under the worker's folder, as immutable in a build", () => {
    expect(router().route(get("https://game.test/app/assets/pkg/game/hero-2cf24dba5f.png"))).toEqual({ url: "https://game.test/app/assets/pkg/game/hero-2cf24dba5f.png", reason: "pkg", immutable: true });
    expect(router({ pkgImmutable: false }).route(get("https://game.test/app/assets/pkg/a.png"))?.immutable).toBe(false);
    expect(router().route(get("https://game.test/assets/pkg/a.png"))).toBeNull();
  });

  it("answers URLs matching an intercept prefix (absolute or relative to the worker) or RegExp", () => {
    const routed = router({ intercept: ["https://cdn.test/music/", "media/", /\.ogg$/] });
    expect(routed.route(get("https://cdn.test/music/theme.mp3"))?.reason).toBe("intercept");
    expect(routed.route(get("https://game.test/app/media/intro.webm"))?.reason).toBe("intercept");
    expect(routed.route(get("https://other.test/x/sound.ogg"))?.reason).toBe("intercept");
    expect(routed.route(get("https://cdn.test/musical.mp3"))).toBeNull();
    expect(routed.route(get("https://game.test/media/intro.webm"))).toBeNull();
  });

  it("a global RegExp matches the same way every time", () => {
    const routed = router({ intercept: [/\.png$/g] });
    for (let i = 0; i < 3; i++) expect(routed.route(get("https://cdn.test/a.png"))?.reason).toBe("intercept");
  });

  it("answers URLs the store holds, and nothing while it does not know yet", () => {
    const held = new Set(["https://cdn.test/held.png"]);
    expect(router({ holds: (url) => held.has(url) }).route(get("https://cdn.test/held.png#frag"))).toEqual({ url: "https://cdn.test/held.png", reason: "stored", immutable: false });
    expect(router({ holds: (url) => held.has(url) }).route(get("https://cdn.test/other.png"))).toBeNull();
    expect(router({ holds: () => undefined }).route(get("https://cdn.test/held.png"))).toBeNull();
  });

  it("leaves navigations, the app shell, other methods and a script's cache-bypassing requests to the browser", () => {
    const everything = router({ intercept: [/./], holds: () => true });
    expect(everything.route(get("https://game.test/app/", { mode: "navigate" }))).toBeNull();
    expect(everything.route(get("https://game.test/app/index.html"))).toBeNull();
    expect(everything.route(get("https://game.test/app/assets/index-abc.js"))).toBeNull();
    expect(everything.route(get("https://cdn.test/a.png", { method: "POST" }))).toBeNull();
    expect(everything.route(get("https://cdn.test/a.png", { method: "HEAD" }))).toBeNull();
    expect(everything.route(get("https://cdn.test/a.png", { cache: "no-store" }))).toBeNull();
    expect(everything.route(get("https://cdn.test/a.png", { cache: "reload" }))).toBeNull();
    expect(everything.route(get("https://cdn.test/a.png", { cache: "no-cache" }))?.reason).toBe("intercept");
    // An element's own request keeps its route whatever mode the browser gives it (Firefox's media).
    expect(everything.route(get("https://cdn.test/a.ogg", { cache: "no-store", destination: "audio" }))?.reason).toBe("intercept");
  });

  it("leaves origins the worker may not reach, other schemes and URLs with credentials to the network unchanged", () => {
    const routed = router({ allowedOrigins: new Set(["https://game.test", "https://cdn.test"]), intercept: [/./] });
    expect(routed.route(get("https://cdn.test/a.png"))?.reason).toBe("intercept");
    expect(routed.route(get("https://evil.test/a.png"))).toBeNull();
    expect(router({ intercept: [/./] }).route(get("data:text/plain,hi"))).toBeNull();
    expect(router({ intercept: [/./] }).route(get("blob:https://game.test/1"))).toBeNull();
    expect(router({ intercept: [/./] }).route(get("https://user:pw@cdn.test/a.png"))).toBeNull();
    expect(router({ intercept: [/./] }).route(get("not a url"))).toBeNull();
  });
});
