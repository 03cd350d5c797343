import { describe, expect, it } from "vitest";
import type { PackageFile } from "./buildPkgIndex.js";
import { listedFiles } from "./manifestIntegrity.js";

const file = (path: string, packageName = "game"): PackageFile => ({ packageName, path, absolutePath: `/${packageName}/${path}`, size: 1, sha256: "0".repeat(64) });
const FILES = [file("levels/one.json"), file("levels/tiles.png"), file("sprites/hero.png"), file("logo.png", "ui")];
const BY_URI = new Map(FILES.map((entry) => [`pkg://${entry.packageName}/${entry.path}`, entry]));
const json = (value: unknown) => Buffer.from(JSON.stringify(value));

describe("listedFiles", () => {
  it("gives the build's files a manifest names, resolved against the manifest, each once", () => {
    const assets = ["tiles.png", { uri: "../sprites/hero.png" }, "pkg://ui/logo.png", "tiles.png", "missing.png", "https://cdn.test/x.png", { uri: 3 }];
    expect(listedFiles(file("levels/one.json"), json({ assets }), BY_URI)?.map((entry) => `${entry.packageName}:${entry.path}`)).toEqual(["game:levels/tiles.png", "game:sprites/hero.png", "ui:logo.png"]);
  });

  it("is null for a file the plugin does not take for a manifest", () => {
    expect(listedFiles(file("levels/one.json"), json({ tiles: [] }), BY_URI)).toBeNull();
    expect(listedFiles(file("levels/one.json"), Buffer.from("{ not json"), BY_URI)).toBeNull();
    expect(listedFiles(file("notes.txt"), json({ assets: ["levels/tiles.png"] }), BY_URI)).toBeNull();
  });
});
