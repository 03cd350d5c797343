import { MemoryStore } from "./MemoryStore.js";
import { describeStoreContract } from "./testing/storeContract.js";

describeStoreContract("MemoryStore", () => new MemoryStore());
