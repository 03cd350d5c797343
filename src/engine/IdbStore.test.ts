import "fake-indexeddb/auto";
import { describe, expect, it, vi } from "vitest";
import { IdbStore } from "./IdbStore.js";
import { describeStoreContract, metaFor } from "./testing/storeContract.js";

let databases = 0;
function freshStore(): IdbStore {
  databases += 1;
  return new IdbStore({ dbName: `idb-store-test-${databases}`, touchFlushDelayMs: 60_000 });
}

describeStoreContract("IdbStore", freshStore);

describe("IdbStore", () => {
  it("coalesces many uses into one batched write", async () => {
    const store = freshStore();
    for (const name of ["a", "b", "c"]) await store.put(metaFor(`https://a.test/${name}`, 1), Uint8Array.of(1));
    const patch = vi.spyOn(store, "patchMetas");
    for (let i = 0; i < 10; i++) for (const name of ["a", "b", "c"]) store.touch(`https://a.test/${name}`, 100 + i);
    expect(patch).not.toHaveBeenCalled();
    await store.flush();
    expect(patch).toHaveBeenCalledTimes(1);
    expect(patch.mock.calls[0]![0]).toHaveLength(3);
    expect((await store.getMetas(["https://a.test/b"]))[0]?.lastUsed).toBe(109);
  });

  it("writes nothing when an entry cannot be stored whole", async () => {
    const store = freshStore();
    // A function cannot be structured-cloned: the meta write fails after the body write began.
    const unstorable = { ...metaFor("https://a.test/x", 1), extra: () => 1 };
    await expect(store.put(unstorable, Uint8Array.of(1))).rejects.toThrow();
    expect(await store.getBody("https://a.test/x")).toBeUndefined();
    expect(await store.listMetas()).toEqual([]);
  });

  it("keeps entries across store instances on the same database", async () => {
    const first = freshStore();
    await first.put(metaFor("https://a.test/x", 2), Uint8Array.of(4, 5));
    const second = new IdbStore({ dbName: `idb-store-test-${databases}` });
    expect(await second.getBody("https://a.test/x")).toEqual(Uint8Array.of(4, 5));
  });
});
