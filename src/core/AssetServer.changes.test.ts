import { describe, expect, it } from "vitest";
import { AssetServer } from "./AssetServer.js";
import { flushUntilDone, settle } from "../../test/support/core/GatedSource.js";

// SPEC "Hot reload in development": assetChanged fires from flush(), once the caches dropped the uri.
function server(): { assets: AssetServer; changed: string[] } {
  const assets = new AssetServer({ autoFlush: false });
  const changed: string[] = [];
  assets.assetChanged.connect((uri) => changed.push(uri));
  return { assets, changed };
}

describe("AssetServer.assetChanged", () => {
  it("a mem:// set or delete fires it from the next flush, and the next load reads the new content", async () => {
    const { assets, changed } = server();
    assets.mem.set("level.txt", "one");
    const first = assets.load<string>("mem://level.txt");
    await flushUntilDone(assets, [first]);
    changed.length = 0;
    assets.mem.set("level.txt", "two");
    expect(changed).toEqual([]);
    assets.flush();
    expect(changed).toEqual(["mem://level.txt"]);
    const second = assets.load<string>("mem://level.txt");
    await flushUntilDone(assets, [second]);
    expect(second.value).toBe("two");
    assets.mem.delete("level.txt");
    assets.mem.delete("never-there.txt");
    assets.flush();
    expect(changed).toEqual(["mem://level.txt", "mem://level.txt"]);
  });

  it("invalidate(uri) fires it once the caches dropped the uri", async () => {
    const { assets, changed } = server();
    assets.mem.set("a.txt", "a");
    assets.flush();
    changed.length = 0;
    await assets.invalidate("mem://a.txt");
    assets.flush();
    expect(changed).toEqual(["mem://a.txt"]);
    // A uri that cannot be parsed has nothing cached under it: nothing fires.
    await assets.invalidate("mem://a/../../etc");
    assets.flush();
    expect(changed).toEqual(["mem://a.txt"]);
  });

  it("changes made while nobody listens are not queued", async () => {
    const assets = new AssetServer({ autoFlush: false });
    for (let i = 0; i < 100; i += 1) assets.mem.set(`k${i}.txt`, String(i));
    const changed: string[] = [];
    assets.assetChanged.connect((uri) => changed.push(uri));
    expect(assets.flush()).toBe(0);
    expect(changed).toEqual([]);
    assets.mem.set("k1.txt", "new");
    assets.flush();
    expect(changed).toEqual(["mem://k1.txt"]);
  });

  it("after dispose nothing fires and the mem source no longer reaches the server", async () => {
    const { assets, changed } = server();
    assets.flush();
    assets.dispose();
    assets.mem.set("late.txt", "late");
    await settle();
    assets.flush();
    expect(changed).toEqual([]);
  });
});
