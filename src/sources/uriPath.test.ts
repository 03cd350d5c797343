import { describe, expect, it } from "vitest";
import { childUri, pathSegments } from "./uriPath.js";

describe("pathSegments", () => {
  it("decodes the segments of a uri's path", () => {
    expect(pathSegments("pkg://game/textures/hero%20idle.png")).toEqual(["textures", "hero idle.png"]);
    expect(pathSegments("file:///tmp/a/./b/../c.txt")).toEqual(["tmp", "a", "c.txt"]);
    expect(pathSegments("pkg://game")).toEqual([]);
    expect(pathSegments("pkg://game/dir/")).toEqual(["dir"]);
  });

  it.each([
    "pkg://game/../secret",
    "pkg://game/%2e%2e/secret",
    "pkg://game/a/%2E%2E/%2e%2e/x",
    "file:///a/../../etc/passwd",
    "pkg://game/a%2F..%2F..%2Fx",
    "pkg://game/a%5Cb",
    "pkg://game/a%00b",
    "pkg://game/%E0%A4%A",
  ])("refuses %s with INVALID_URI", (uri) => {
    expect(() => pathSegments(uri)).toThrow(expect.objectContaining({ code: "INVALID_URI", uri }));
  });
});

describe("childUri", () => {
  it("appends an encoded relative path to a folder uri, with or without its slash", () => {
    expect(childUri("pkg://game/tex", "a b/c.png")).toBe("pkg://game/tex/a%20b/c.png");
    expect(childUri("file:///tmp/x/?q=1", "é.txt")).toBe("file:///tmp/x/%C3%A9.txt");
    expect(pathSegments(childUri("pkg://game/tex/", "100%/#1.png"))).toEqual(["tex", "100%", "#1.png"]);
  });
});
