import { describe, expect, it } from "vitest";
import { climbsOutOfRoot, parseUri, resolveAgainst } from "./uri.js";

const base = "file:///home/dev/game/";

describe("parseUri", () => {
  it.each([
    ["pkg://game/textures/player.png", "pkg", "pkg://game/textures/player.png"],
    ["pkg://game/a/../b.png", "pkg", "pkg://game/b.png"],
    ["HTTPS://Example.com/a.png", "https", "https://example.com/a.png"],
    ["mem://level.json", "mem", "mem://level.json"],
    ["my/file.txt", "file", "file:///home/dev/game/my/file.txt"],
    ["../shared/x.txt", "file", "file:///home/dev/shared/x.txt"],
  ])("accepts %s", (uri, scheme, href) => {
    expect(parseUri(uri, base)).toEqual({ scheme, href });
  });

  it("resolves bare paths against an http document base in a browser", () => {
    expect(parseUri("assets/a.png", "https://game.example/play/index.html")).toEqual({ scheme: "https", href: "https://game.example/play/assets/a.png" });
  });

  it.each(["", " ", "pkg://game/../x", "file:///a/../../etc", "pkg://game/%2e%2e/x", "pkg://game/a\\..\\..\\x", "mem://", "pkg:nohost", "a\nb"])(
    "rejects %j with INVALID_URI",
    (uri) => {
      expect(() => parseUri(uri, base)).toThrow(expect.objectContaining({ code: "INVALID_URI" }));
    },
  );

  it("does not treat dots in the query as traversal", () => {
    expect(parseUri("https://cdn.example/a.png?x=../../..", base).href).toBe("https://cdn.example/a.png?x=../../..");
  });
});

describe("climbsOutOfRoot", () => {
  it("counts depth through the whole path", () => {
    expect(climbsOutOfRoot("/a/b/../../c")).toBe(false);
    expect(climbsOutOfRoot("/a/../../c")).toBe(true);
    expect(climbsOutOfRoot("/a/./b/%2E%2E/%2e%2e/%2e%2e")).toBe(true);
  });
});

describe("resolveAgainst", () => {
  it("resolves relative manifest entries against the manifest's uri", () => {
    expect(resolveAgainst("tex/a.png", "pkg://game/levels/m.json")).toBe("pkg://game/levels/tex/a.png");
    expect(resolveAgainst("../a.png", "pkg://game/levels/m.json")).toBe("pkg://game/a.png");
    expect(resolveAgainst("https://cdn.example/x.png", "pkg://game/m.json")).toBe("https://cdn.example/x.png");
  });

  it("refuses an entry that climbs out of the manifest's root", () => {
    expect(() => resolveAgainst("../../x", "pkg://game/m.json")).toThrow(expect.objectContaining({ code: "INVALID_URI" }));
  });
});
