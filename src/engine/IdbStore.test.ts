import "fake-indexeddb/auto";
import { describe, expect, it, vi } from "vitest";
import { IdbStore } from "./IdbStore.js";
import { describeStoreContract, metaFor } from "../../test/support/engine/storeContract.js";

let databases = 0;
function freshStore(): IdbStore {
  databases += 1;
  return new IdbStore({ dbName: `idb-store-test-${databases}`, touchFlushDelayMs: 60_000 });
}

describeStoreContract("IdbStore", freshStore);

describe("IdbStore", () => {
  it("coalesces many uses into one batched write", async () => {
    const store = freshStore();
    for (const name of ["a", "b", "c"]) await store.putMany([{ meta: metaFor(`https://a.test/${name}`, 1), body: Uint8Array.of(1) }]);
    // patchMetas is private: spied on as the one write a flush makes.
    const patch = vi.spyOn(store as unknown as { patchMetas(patches: unknown[]): Promise<void> }, "patchMetas");
    for (let i = 0; i < 10; i++) for (const name of ["a", "b", "c"]) store.touch({ url: `https://a.test/${name}`, lastUsed: 100 + i });
    expect(patch).not.toHaveBeenCalled();
    await store.flush();
    expect(patch).toHaveBeenCalledTimes(1);
    expect(patch.mock.calls[0]![0]).toHaveLength(3);
    expect((await store.getMetas(["https://a.test/b"]))[0]?.lastUsed).toBe(109);
  });

  it("writes nothing of a batch when one of its entries cannot be stored whole", async () => {
    const store = freshStore();
    // A function cannot be structured-cloned: the meta write fails after the body write began,
    // and after the whole first entry was written.
    const unstorable = { ...metaFor("https://a.test/x", 1), extra: () => 1 };
    const batch = [
      { meta: metaFor("https://a.test/ok", 1), body: Uint8Array.of(7) },
      { meta: unstorable, body: Uint8Array.of(1) },
    ];
    await expect(store.putMany(batch)).rejects.toThrow();
    expect(await store.getBody("https://a.test/x")).toBeUndefined();
    expect(await store.getBody("https://a.test/ok")).toBeUndefined();
    expect(await store.listMetas()).toEqual([]);
  });

  it("keeps entries across store instances on the same database", async () => {
    const first = freshStore();
    await first.putMany([{ meta: metaFor("https://a.test/x", 2), body: Uint8Array.of(4, 5) }]);
    const second = new IdbStore({ dbName: `idb-store-test-${databases}` });
    expect(await second.getBody("https://a.test/x")).toEqual(Uint8Array.of(4, 5));
  });
});
