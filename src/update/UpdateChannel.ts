import type { UpdateBroadcast } from "../kernel/protocol.js";

/** How the tabs of one app tell each other about updates. */
export interface UpdateChannel {
  post(message: UpdateBroadcast): void;
  close(): void;
}

/**
 * A `BroadcastChannel` named after the app's pkg index, or null where there is none. Messages of
 * the wrong shape (another script on the channel) are dropped before `listener` sees them.
 */
export function openUpdateChannel(indexUrl: string, listener: (message: UpdateBroadcast) => void): UpdateChannel | null {
  if (typeof BroadcastChannel !== "function") return null;
  const channel = new BroadcastChannel(`simvx-assets:updates:${indexUrl}`);
  channel.onmessage = (event: MessageEvent<unknown>) => {
    if (isUpdateBroadcast(event.data)) listener(event.data);
  };
  return {
    post(message) {
      try {
        channel.postMessage(message);
      } catch {
        // Closed, or an index too odd to clone: the other tabs find the build on their next check.
      }
    },
    close: () => channel.close(),
  };
}

function isUpdateBroadcast(value: unknown): value is UpdateBroadcast {
  if (typeof value !== "object" || value === null) return false;
  const { type, build, indexBytes } = value as Partial<UpdateBroadcast>;
  return (type === "simvx-assets:update-available" || type === "simvx-assets:update-ready") && typeof build === "string" && typeof indexBytes === "number";
}
