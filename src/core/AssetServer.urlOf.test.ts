import { describe, expect, it } from "vitest";
import type { HttpBackend } from "../kernel/HttpBackend.js";
import { AssetServer } from "./AssetServer.js";

const unusedBackend: HttpBackend = {
  kind: "in-page",
  fetch: () => Promise.reject(new Error("not used")),
  invalidate: async () => undefined,
  clear: async () => undefined,
  stats: async () => ({ entries: 0, bytes: 0, budgetBytes: 0 }),
  dispose: () => undefined,
};

describe("AssetServer.urlOf", () => {
  it("an http(s) uri is its own URL, normalised", () => {
    const server = new AssetServer({ httpBackend: unusedBackend, autoFlush: false });
    expect(server.urlOf("https://CDN.example.com/a/../music/theme.ogg#start")).toBe("https://cdn.example.com/music/theme.ogg#start");
    server.dispose();
  });

  it("asks the uri's source, so a custom source can give URLs too", () => {
    const server = new AssetServer({ autoFlush: false, sources: { cdn: { read: () => Promise.reject(new Error("not used")), urlOf: (uri) => uri.replace("cdn://", "https://cdn.example.com/") } } });
    expect(server.urlOf("cdn://x/hero.png")).toBe("https://cdn.example.com/x/hero.png");
    server.dispose();
  });

  it("a source without URLs (mem://) or a bad uri throws an AssetError with its code", () => {
    const server = new AssetServer({ autoFlush: false });
    expect(() => server.urlOf("mem://level.json")).toThrow(expect.objectContaining({ name: "AssetError", code: "UNSUPPORTED_SCHEME" }));
    expect(() => server.urlOf("nope://x")).toThrow(expect.objectContaining({ code: "UNSUPPORTED_SCHEME" }));
    expect(() => server.urlOf("pkg://game/../x")).toThrow(expect.objectContaining({ code: "INVALID_URI" }));
    server.dispose();
  });
});
