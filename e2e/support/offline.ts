import type { Server } from "node:http";
import type { BrowserSession } from "../engines/TestPage.js";

/** How a test went offline, for its figures. */
export type OfflineBy = "browser emulation" | "servers down";

/** Stops `server` answering: the listener closes and open connections are cut, as when a host goes away. */
export async function stopServing(server: Server): Promise<void> {
  if (!server.listening) return;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await closed;
}

/**
 * Takes the test offline: with the engine's own offline emulation where its driver has one
 * (Chromium: it covers service workers and sets `navigator.onLine`), else by taking down every
 * server the page uses, so each request is refused as with no network (`navigator.onLine` stays true).
 */
export async function goOffline(session: BrowserSession, servers: readonly Server[]): Promise<OfflineBy> {
  if (session.network) {
    await session.network.setOffline(true);
    return "browser emulation";
  }
  await Promise.all(servers.map(stopServing));
  return "servers down";
}
