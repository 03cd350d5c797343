import type { ServedFrom } from "../kernel/protocol.js";

/** What a server has loaded so far, for a dev panel or a test. */
export interface AssetServerStats {
  /** Loaded handles by where their value came from. */
  servedFrom: Record<ServedFrom, number>;
  /** Reads that brought new bytes (`servedFrom: "network"`), and how many bytes they brought. */
  networkReads: number;
  networkBytes: number;
  /** Retries the sources announced. */
  retries: number;
  /** Bytes held by the loaders' memory caches. */
  memoryCacheBytes: number;
  /** Handles not yet finished. */
  inFlight: number;
  /** Where HTTP loads run now (`null` when the HTTP sources were replaced). */
  httpBackend: "service-worker" | "in-page" | null;
}

/** Counters behind `AssetServer.stats()`. */
export class LoadStats {
  readonly servedFrom: Record<ServedFrom, number> = { memory: 0, persistent: 0, revalidated: 0, network: 0, stale: 0 };
  networkReads = 0;
  networkBytes = 0;
  retries = 0;

  loaded(servedFrom: ServedFrom): void {
    this.servedFrom[servedFrom] += 1;
  }

  read(servedFrom: ServedFrom, bytes: number): void {
    if (servedFrom !== "network") return;
    this.networkReads += 1;
    this.networkBytes += bytes;
  }
}
