import { afterEach, describe, expect, it, vi } from "vitest";
import { AssetError } from "../kernel/AssetError.js";
import { ImageLoader } from "./ImageLoader.js";

async function parseError(promise: Promise<unknown>): Promise<AssetError> {
  const error = await promise.then(() => null, (thrown: unknown) => thrown);
  if (!AssetError.is(error)) throw new Error(`expected an AssetError, got ${String(error)}`);
  return error;
}

describe("ImageLoader", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it.each(["a.png", "a.jpg", "a.jpeg", "a.webp", "a.avif", "a.gif", "A.PNG", "a.png?v=1", "a.png#frag"])("claims %s", (name) => {
    expect(new ImageLoader().claims(`https://x.test/${name}`)).toBe(true);
  });

  it("does not claim other suffixes", () => {
    const loader = new ImageLoader();
    expect(loader.claims("https://x.test/a.svg")).toBe(false);
    expect(loader.claims("https://x.test/a.json?img=.png")).toBe(false);
  });

  it("without createImageBitmap (Node) fails with PARSE and says why", async () => {
    expect(typeof globalThis.createImageBitmap).toBe("undefined");
    const error = await parseError(new ImageLoader().parse(new Uint8Array([1, 2, 3]), "file:///x/a.png"));
    expect(error.code).toBe("PARSE");
    expect(error.uri).toBe("file:///x/a.png");
    expect(error.message).toContain("createImageBitmap");
  });

  // Node has no image decoder: these stand in for createImageBitmap only to check what the loader
  // hands it and how it maps a failure; real decoding is covered by the browser tests.
  it("hands createImageBitmap a Blob of the bytes typed from the suffix, with the loader's options", async () => {
    const seen: { type: string; bytes: number[]; options: unknown }[] = [];
    vi.stubGlobal("createImageBitmap", async (blob: Blob, options: unknown) => {
      seen.push({ type: blob.type, bytes: [...new Uint8Array(await blob.arrayBuffer())], options });
      return { width: 3, height: 2, close() {} };
    });
    const loader = new ImageLoader({ premultiplyAlpha: "none" });
    const bitmap = await loader.parse(new Uint8Array([9, 8, 7]), "https://x.test/hero.JPG?v=2");
    expect(seen).toEqual([{ type: "image/jpeg", bytes: [9, 8, 7], options: { premultiplyAlpha: "none" } }]);
    expect(loader.sizeOf(bitmap)).toBe(3 * 2 * 4);
  });

  it("a decode failure becomes PARSE with the uri", async () => {
    vi.stubGlobal("createImageBitmap", () => Promise.reject(new DOMException("The source image could not be decoded.", "InvalidStateError")));
    const error = await parseError(new ImageLoader().parse(new Uint8Array([0]), "pkg://game/broken.webp"));
    expect(error.code).toBe("PARSE");
    expect(error.uri).toBe("pkg://game/broken.webp");
    expect(error.message).toContain("could not be decoded");
  });
});
