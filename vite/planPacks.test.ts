import { describe, expect, it } from "vitest";
import type { PackageFile } from "./buildPkgIndex.js";
import { type ManifestListing, type PackPlan, planPacks } from "./planPacks.js";

const file = (path: string, size: number, packageName = "game"): PackageFile => ({ packageName, path, absolutePath: `/${packageName}/${path}`, size, sha256: "0".repeat(64) });
const OPTIONS = { fileBytes: 100, packBytes: 1_000 };
const paths = (plans: PackPlan[]) => plans.map((plan) => plan.files.map(({ file }) => file.path));
const listing = (manifestPath: string, listed: string[], packageName = "game"): ManifestListing => ({ packageName, manifestPath, paths: listed });

const FOLDERS = [file("tiles/b.png", 10), file("sprites/a.png", 10), file("tiles/a.png", 10), file("sprites/b.png", 10), file("level.json", 10), file("sprites/deep/c.png", 10)];

describe("planPacks", () => {
  it("without manifests: one package's files folder by folder, each at the end of the one before", () => {
    const plans = planPacks(FOLDERS, OPTIONS);
    expect(paths(plans)).toEqual([["level.json", "sprites/a.png", "sprites/b.png", "sprites/deep/c.png", "tiles/a.png", "tiles/b.png"]]);
    expect(plans[0]!.files.map(({ offset }) => offset)).toEqual([0, 10, 20, 30, 40, 50]);
  });

  it("puts what a manifest lists first and side by side, then the rest in folder order", () => {
    const plans = planPacks(FOLDERS, OPTIONS, [listing("level.json", ["tiles/b.png", "sprites/b.png", "nowhere.png"])]);
    expect(paths(plans)).toEqual([["sprites/b.png", "tiles/b.png", "level.json", "sprites/a.png", "sprites/deep/c.png", "tiles/a.png"]]);
  });

  it("a file listed by several manifests goes with the first manifest in folder order, whatever order they come in", () => {
    // z.json is first: a folder's own files come before its subfolders'.
    const manifests = [listing("levels/one.json", ["tiles/a.png", "tiles/b.png"]), listing("z.json", ["tiles/a.png", "sprites/a.png"])];
    const expected = [["sprites/a.png", "tiles/a.png", "tiles/b.png", "level.json", "sprites/b.png", "sprites/deep/c.png"]];
    expect(paths(planPacks(FOLDERS, OPTIONS, manifests))).toEqual(expected);
    expect(paths(planPacks([...FOLDERS].reverse(), OPTIONS, [...manifests].reverse()))).toEqual(expected);
  });

  it("a manifest's files start a new pack rather than straddle two, when they fit in one", () => {
    const files = [file("a.bin", 60), file("b.bin", 60), file("m/x.bin", 50), file("m/y.bin", 50), file("m/z.bin", 50)];
    const plans = planPacks(files, { fileBytes: 100, packBytes: 200 }, [listing("first.json", ["a.bin", "b.bin"]), listing("second.json", ["m/x.bin", "m/y.bin", "m/z.bin"])]);
    // Filled in order, x would share the first pack with a and b, leaving y and z in the next.
    expect(paths(plans)).toEqual([["a.bin", "b.bin"], ["m/x.bin", "m/y.bin", "m/z.bin"]]);
  });

  it("a manifest's files larger than one pack fill packs in turn, none over packBytes", () => {
    const files = ["a", "b", "c", "d", "e"].map((name) => file(`${name}.bin`, 80));
    const plans = planPacks(files, { fileBytes: 100, packBytes: 200 }, [listing("m.json", ["a.bin", "b.bin", "c.bin", "d.bin", "e.bin"])]);
    expect(paths(plans)).toEqual([["a.bin", "b.bin"], ["c.bin", "d.bin"]]);
    expect(plans.every((plan) => plan.size <= 200)).toBe(true);
  });

  it("groups only within the manifest's package, and leaves out files over fileBytes", () => {
    const files = [file("a.png", 10), file("b.png", 10), file("big.bin", 500), file("a.png", 10, "ui"), file("b.png", 10, "ui")];
    const plans = planPacks(files, OPTIONS, [listing("m.json", ["b.png", "big.bin"], "ui")]);
    expect(plans.map((plan) => [plan.packageName, ...plan.files.map(({ file }) => file.path)])).toEqual([
      ["game", "a.png", "b.png"],
      ["ui", "b.png", "a.png"],
    ]);
  });
});
