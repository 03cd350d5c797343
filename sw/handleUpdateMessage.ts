import type { BuildAnswer, UpdateMessage } from "../src/kernel/protocol.js";

export interface UpdateMessageActions {
  /** The build this worker serves, or null (dev). */
  build: string | null;
  /** `skipWaiting()`: honoured only while this worker waits. */
  activate(): Promise<void>;
  prune(): Promise<unknown>;
}

/**
 * Handles the update messages (`BuildQuery`, `ActivateRequest`, `PruneRequest`) from windows of
 * the worker's own origin; true when `event` was one of them, whoever sent it.
 */
export function handleUpdateMessage(event: ExtendableMessageEvent, scope: ServiceWorkerGlobalScope, actions: UpdateMessageActions): boolean {
  const data = event.data as Partial<UpdateMessage> | null;
  if (typeof data !== "object" || data === null) return false;
  if (data.type !== "simvx-assets:build-query" && data.type !== "simvx-assets:activate" && data.type !== "simvx-assets:prune") return false;
  const fromOwnWindow = event.source instanceof WindowClient && event.origin === scope.location.origin;
  if (!fromOwnWindow) return true;
  switch (data.type) {
    case "simvx-assets:build-query":
      if (data.port instanceof MessagePort) {
        const answer: BuildAnswer = { build: actions.build };
        data.port.postMessage(answer);
        data.port.close();
      }
      break;
    case "simvx-assets:activate":
      event.waitUntil(actions.activate());
      break;
    case "simvx-assets:prune":
      event.waitUntil(actions.prune().catch(() => undefined));
      break;
  }
  return true;
}
