import { describe, expect, it } from "vitest";
import type { PkgIndex } from "../src/kernel/PkgIndex.js";
import { stampBuild } from "./stampBuild.js";

const index = (sha: string): PkgIndex => ({ version: 1, packages: { game: { files: { "a.png": { url: "../a.png", size: 3, sha256: sha.repeat(64), immutable: true } } } } });
const shell = [{ url: "../index.html", revision: "0123456789abcdef", size: 400 }];

describe("stampBuild", () => {
  it("gives the same content the same build id, and lists the shell", () => {
    const first = stampBuild(index("a"), shell);
    expect(first.build).toMatch(/^[0-9a-f]{20}$/);
    expect(first.shell).toEqual(shell);
    expect(stampBuild(index("a"), shell).build).toBe(first.build);
    // Stamping a stamped index again changes nothing.
    expect(stampBuild(first, shell)).toEqual(first);
  });

  it("gives another id when one pkg file or one shell revision changes", () => {
    const base = stampBuild(index("a"), shell).build;
    expect(stampBuild(index("b"), shell).build).not.toBe(base);
    expect(stampBuild(index("a"), [{ ...shell[0]!, revision: "fedcba9876543210" }]).build).not.toBe(base);
  });
});
