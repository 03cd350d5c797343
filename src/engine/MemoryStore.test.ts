import { MemoryStore } from "./MemoryStore";
import { describeStoreContract } from "./testing/storeContract";

describeStoreContract("MemoryStore", () => new MemoryStore());
