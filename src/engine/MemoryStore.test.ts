import { MemoryStore } from "./MemoryStore.js";
import { describeStoreContract } from "../../test/support/engine/storeContract.js";

describeStoreContract("MemoryStore", (options) => new MemoryStore(options));
