import type { AssetOrigin } from "./AssetResponder.js";
import type { AssetStore } from "./AssetStore.js";
import { BenchOrigin } from "./BenchOrigin.js";
import { Http2Origin } from "./Http2Origin.js";
import type { Transport } from "./scenarios.js";
import type { SelfSignedCertificate } from "./tls/selfSignedCertificate.js";

/**
 * One peer's origins: its pages and HTTP/1.1 assets, and its HTTP/2 assets. Each peer has its
 * own, so service workers, caches, IndexedDB and the origins' counters never meet.
 */
export interface PeerOrigins {
  page: BenchOrigin;
  http2: Http2Origin;
}

export async function startPeerOrigins(store: AssetStore, siteDir: string, certificate: SelfSignedCertificate): Promise<PeerOrigins> {
  const page = await BenchOrigin.start(store, siteDir);
  try {
    return { page, http2: await Http2Origin.start(store, certificate) };
  } catch (error) {
    await page.close();
    throw error;
  }
}

export function assetOriginOf(origins: PeerOrigins, transport: Transport): AssetOrigin {
  return transport === "http2" ? origins.http2 : origins.page;
}

export async function closePeerOrigins(origins: PeerOrigins): Promise<void> {
  await Promise.all([origins.page.close(), origins.http2.close()]);
}
