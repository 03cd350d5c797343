import { describe, expect, it } from "vitest";
import { AssetError } from "../kernel/AssetError.js";
import { JsonLoader } from "./JsonLoader.js";

const encode = (text: string) => new TextEncoder().encode(text);

function parseError(raw: Uint8Array, uri: string): AssetError {
  try {
    new JsonLoader().parse(raw, uri);
  } catch (error) {
    if (AssetError.is(error)) return error;
    throw error;
  }
  throw new Error("expected a parse error");
}

describe("JsonLoader", () => {
  it("claims .json case-insensitively, ignoring ?query and #hash", () => {
    const loader = new JsonLoader();
    expect(loader.claims("pkg://game/level.json")).toBe(true);
    expect(loader.claims("https://x.test/LEVEL.JSON?v=2#x")).toBe(true);
    expect(loader.claims("https://x.test/level.json5")).toBe(false);
    expect(loader.claims("https://x.test/api?format=.json")).toBe(false);
  });

  it("parses objects, arrays and scalars", () => {
    const loader = new JsonLoader();
    expect(loader.parse(encode('{"a":[1,2,{"b":null}],"é":"✓"}'), "mem://a.json")).toEqual({ a: [1, 2, { b: null }], é: "✓" });
    expect(loader.parse(encode("[true]"), "mem://b.json")).toEqual([true]);
    expect(loader.parse(encode(" 42 "), "mem://c.json")).toBe(42);
  });

  it("accepts a leading byte-order mark", () => {
    expect(new JsonLoader().parse(new Uint8Array([0xef, 0xbb, 0xbf, ...encode("{}")]), "mem://bom.json")).toEqual({});
  });

  it("a syntax error fails with PARSE, the uri and the parser's message", () => {
    const error = parseError(encode('{"a": 1,'), "pkg://game/broken.json");
    expect(error.code).toBe("PARSE");
    expect(error.uri).toBe("pkg://game/broken.json");
    expect(error.message).toContain("pkg://game/broken.json");
    let parserMessage = "";
    try {
      JSON.parse('{"a": 1,');
    } catch (thrown) {
      parserMessage = (thrown as Error).message;
    }
    expect(parserMessage).not.toBe("");
    expect(error.message).toContain(parserMessage);
  });

  it.each([
    ["empty bytes", new Uint8Array(0)],
    ["only whitespace", encode(" \n\t")],
    ["invalid UTF-8", new Uint8Array([0x7b, 0xff, 0x7d])],
  ])("%s fails with PARSE", (_name, raw) => {
    const error = parseError(raw, "mem://x.json");
    expect(error.code).toBe("PARSE");
    expect(error.uri).toBe("mem://x.json");
  });
});
