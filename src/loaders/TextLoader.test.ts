import { describe, expect, it } from "vitest";
import { AssetError } from "../kernel/AssetError.js";
import { TextLoader } from "./TextLoader.js";

const encode = (text: string) => new TextEncoder().encode(text);

describe("TextLoader", () => {
  it.each(["a.txt", "README.md", "s.glsl", "s.wgsl", "s.vert", "s.frag"])("claims %s", (name) => {
    expect(new TextLoader().claims(`pkg://game/${name}`)).toBe(true);
  });

  it("claims case-insensitively and ignores ?query and #hash", () => {
    const loader = new TextLoader();
    expect(loader.claims("https://x.test/SHADER.WGSL")).toBe(true);
    expect(loader.claims("https://x.test/notes.txt?v=3#top")).toBe(true);
    expect(loader.claims("https://x.test/data.json?file=a.txt")).toBe(false);
    expect(loader.claims("https://x.test/a.png#b.txt")).toBe(false);
  });

  it("decodes UTF-8, keeping non-ASCII text", () => {
    expect(new TextLoader().parse(encode("héllo ✓ 🎮"), "mem://t.txt")).toBe("héllo ✓ 🎮");
  });

  it("drops a leading byte-order mark", () => {
    const raw = new Uint8Array([0xef, 0xbb, 0xbf, ...encode("void main() {}")]);
    expect(new TextLoader().parse(raw, "mem://s.frag")).toBe("void main() {}");
  });

  it("empty bytes are empty text", () => {
    expect(new TextLoader().parse(new Uint8Array(0), "mem://e.txt")).toBe("");
  });

  it("invalid UTF-8 fails with PARSE naming the uri", () => {
    let error: unknown;
    try {
      new TextLoader().parse(new Uint8Array([0x61, 0xff, 0xfe, 0x62]), "mem://bad.txt");
    } catch (thrown) {
      error = thrown;
    }
    expect(AssetError.is(error)).toBe(true);
    expect((error as AssetError).code).toBe("PARSE");
    expect((error as AssetError).uri).toBe("mem://bad.txt");
  });

  it("decodes whole after a failure, and after one that ends mid-sequence (one decoder serves every call)", () => {
    const loader = new TextLoader();
    // A truncated sequence (the first bytes of "✓"), then a good text: no state carries over.
    expect(() => loader.parse(new Uint8Array([0x61, 0xe2, 0x9c]), "mem://cut.txt")).toThrow(AssetError);
    expect(loader.parse(encode("✓ ok"), "mem://good.txt")).toBe("✓ ok");
    expect(() => loader.parse(new Uint8Array([0xff]), "mem://bad.txt")).toThrow(AssetError);
    expect(loader.parse(new Uint8Array([0xef, 0xbb, 0xbf, 0x61]), "mem://bom.txt")).toBe("a");
  });

  it("costs two bytes per UTF-16 code unit in the memory cache", () => {
    const loader = new TextLoader();
    const raw = encode("abc");
    expect(loader.sizeOf(loader.parse(raw, "mem://a.txt"))).toBe(6);
  });
});
