import { createStore, delMany, set, values } from "idb-keyval";
import type { UseStore } from "idb-keyval";

/** What a worker knows of one build it installed: enough to keep it, serve it, or delete it. */
export interface BuildRecord {
  /** `<indexUrl>#<build>`. */
  key: string;
  indexUrl: string;
  build: string;
  /** Absolute URLs of the build's pkg files: the fetch engine's store keys. */
  files: string[];
  /** The build's app shell in the precache: `[url, cache key]` pairs. */
  shell: Array<[string, string]>;
  /** Epoch ms of its worker's install: later records are newer builds (a waiting worker's among them). */
  storedAt: number;
}

export const DEFAULT_BUILDS_DATABASE = "simvx-assets-builds";

/**
 * The builds the workers of this origin installed, in a database of their own (idb-keyval cannot
 * add an object store to the fetch engine's). Workers of several generations share it: an active
 * worker reads the records its successor wrote and the other way round.
 */
export class BuildRecords {
  private readonly use: UseStore;

  constructor(dbName = DEFAULT_BUILDS_DATABASE) {
    this.use = createStore(dbName, "builds");
  }

  put(record: BuildRecord): Promise<void> {
    return set(record.key, record, this.use);
  }

  /** The records of the app whose pkg index is at `indexUrl`, oldest first. */
  async list(indexUrl: string): Promise<BuildRecord[]> {
    const all = await values<BuildRecord>(this.use);
    return all.filter((record) => record?.indexUrl === indexUrl).sort((a, b) => a.storedAt - b.storedAt);
  }

  delete(keys: readonly string[]): Promise<void> {
    return keys.length === 0 ? Promise.resolve() : delMany([...keys], this.use);
  }
}
