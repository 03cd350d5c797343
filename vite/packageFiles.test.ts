import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { assertPackageName, listPackageFiles, resolvePackageFile } from "./packageFiles.js";

let root: string;
let pkg: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "simvx-pkg-files-"));
  pkg = join(root, "assets");
  await mkdir(join(pkg, "sprites/enemies"), { recursive: true });
  await mkdir(join(pkg, ".git"), { recursive: true });
  await writeFile(join(pkg, "sprites/hero.png"), "hero");
  await writeFile(join(pkg, "sprites/enemies/slime.png"), "slime");
  await writeFile(join(pkg, "level one.json"), "{}");
  await writeFile(join(pkg, ".env"), "SECRET=1");
  await writeFile(join(pkg, ".git/config"), "x");
  await writeFile(join(root, "secret.txt"), "outside");
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("listPackageFiles", () => {
  it("lists every file below the folder as sorted /-separated paths, without hidden ones", async () => {
    expect(await listPackageFiles(pkg)).toEqual(["level one.json", "sprites/enemies/slime.png", "sprites/hero.png"]);
  });

  it("leaves out a symbolic link to a file outside the package", async () => {
    await symlink(join(root, "secret.txt"), join(pkg, "sprites/leak.txt"));
    expect(await listPackageFiles(pkg)).not.toContain("sprites/leak.txt");
  });

  it("names the folder when it does not exist", async () => {
    await expect(listPackageFiles(join(root, "missing"))).rejects.toThrow(/missing/);
  });
});

describe("resolvePackageFile", () => {
  it("finds a file from its URL-encoded path", async () => {
    expect(await resolvePackageFile(pkg, "level%20one.json")).toBe(join(pkg, "level one.json"));
    expect(await resolvePackageFile(pkg, "sprites/enemies/slime.png")).toBe(join(pkg, "sprites/enemies/slime.png"));
  });

  it.each([
    ["../secret.txt"],
    ["sprites/../../secret.txt"],
    ["%2e%2e/secret.txt"],
    ["sprites%2f..%2f..%2fsecret.txt"],
    ["..%5csecret.txt"],
    ["sprites/%00hero.png"],
    [".env"],
    [".git/config"],
    ["%2eenv"],
    [""],
    ["sprites"],
    ["sprites//hero.png"],
    ["%E0%A4%A"],
  ])("refuses %j", async (path) => {
    expect(await resolvePackageFile(pkg, path)).toBeNull();
  });

  it("refuses a symbolic link that leads outside the folder", async () => {
    await symlink(join(root, "secret.txt"), join(pkg, "leak.txt"));
    await symlink(root, join(pkg, "up"));
    expect(await resolvePackageFile(pkg, "leak.txt")).toBeNull();
    expect(await resolvePackageFile(pkg, "up/secret.txt")).toBeNull();
  });

  it("answers null for a file that does not exist", async () => {
    expect(await resolvePackageFile(pkg, "sprites/nope.png")).toBeNull();
  });
});

describe("assertPackageName", () => {
  it("accepts lower-case host labels and refuses anything else", () => {
    expect(() => assertPackageName("game")).not.toThrow();
    expect(() => assertPackageName("ui-kit_2")).not.toThrow();
    for (const bad of ["", "Game", "a/b", "a.b", "-x", "x-", "a b", "ü"]) expect(() => assertPackageName(bad), bad).toThrow(/package name/);
  });
});
