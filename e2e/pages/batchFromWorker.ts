// A dedicated worker of the test page (same origin) that posts a well-formed batch wake message
// to the active service worker and reports what came back on the batch's port: a service worker
// must answer windows only. Used where the engine gives workers `navigator.serviceWorker` (WebKit).

export interface BatchFromWorkerRequest {
  url: string;
  /** The registration's scope. */
  scope: string;
  waitMs: number;
}

export interface BatchFromWorkerReport {
  posted: boolean;
  /** The `type` of every message that came back on the batch's port. */
  heard: string[];
  error?: string;
}

const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = async (event: MessageEvent<BatchFromWorkerRequest>) => {
  const { url, waitMs } = event.data;
  const heard: string[] = [];
  const report = (result: Omit<BatchFromWorkerReport, "heard">): void => scope.postMessage({ ...result, heard });
  const gaveUp = setTimeout(() => report({ posted: false, error: `no registration within ${waitMs} ms` }), waitMs);
  try {
    const registration = await scope.navigator.serviceWorker.getRegistration(event.data.scope);
    clearTimeout(gaveUp);
    if (!registration?.active) throw new Error(`no active registration for ${event.data.scope}`);
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = (message: MessageEvent<{ type?: unknown } | null>) => void heard.push(String(message.data?.type ?? typeof message.data));
    const calls = [{ id: 1, request: { url, knownVersion: null, cache: true, revalidate: "conditional-get" } }];
    registration.active.postMessage({ type: "simvx-assets:batch", port: port2, calls, heartbeat: false }, [port2]);
    setTimeout(() => report({ posted: true }), waitMs);
  } catch (error) {
    clearTimeout(gaveUp);
    report({ posted: false, error: String(error) });
  }
};
