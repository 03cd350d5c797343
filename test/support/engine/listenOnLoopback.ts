import type { Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/** A test server listening on 127.0.0.1. */
export interface LoopbackListener {
  port: number;
  url: string;
  /** Destroys open connections (kept-alive ones would hold `close` up), then closes the server. */
  close(): Promise<void>;
}

/**
 * Listens on a free loopback port (tests never reach beyond this machine) and tracks the
 * server's sockets so `close()` ends promptly.
 */
export async function listenOnLoopback(server: Server): Promise<LoopbackListener> {
  const sockets = new Set<Socket>();
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
