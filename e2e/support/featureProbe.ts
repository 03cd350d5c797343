/**
 * Which of the web platform features the library uses (or might) this global scope offers: run
 * in the page, in a dedicated worker and in a service worker of each engine. Self-contained: its
 * source text is what runs in the workers.
 */
export function probeFeatures(): Record<string, boolean> {
  const scope = globalThis as unknown as Record<string, unknown> & { navigator?: Record<string, unknown> };
  const nav = scope.navigator ?? {};
  const storage = nav.storage as Record<string, unknown> | undefined;
  const fileHandle = scope.FileSystemFileHandle as { prototype: object } | undefined;
  const abortSignal = scope.AbortSignal as Record<string, unknown> | undefined;
  /** Whether `value` can be moved (not copied) through a MessagePort; `moved` tells whether it was. */
  const transfers = (value: Transferable, moved: () => boolean): boolean => {
    try {
      const { port1, port2 } = new MessageChannel();
      port1.postMessage(value, [value]);
      port1.close();
      port2.close();
      return moved();
    } catch {
      return false;
    }
  };
  const buffer = new ArrayBuffer(8);
  const stream = typeof ReadableStream === "function" ? new ReadableStream() : null;
  const transfersStreams = (): boolean => stream !== null && transfers(stream as unknown as Transferable, () => stream.locked);
  return {
    "navigator.locks": typeof (nav.locks as { request?: unknown } | undefined)?.request === "function",
    "navigator.serviceWorker": "serviceWorker" in nav,
    IndexedDB: typeof scope.indexedDB === "object" && scope.indexedDB !== null,
    "crypto.subtle": typeof (scope.crypto as { subtle?: { digest?: unknown } } | undefined)?.subtle?.digest === "function",
    "ArrayBuffer transfer": transfers(buffer, () => buffer.byteLength === 0),
    "ReadableStream transfer": transfersStreams(),
    "AbortSignal.any": typeof abortSignal?.any === "function",
    "AbortSignal.timeout": typeof abortSignal?.timeout === "function",
    createImageBitmap: typeof scope.createImageBitmap === "function",
    "navigator.storage.estimate": typeof storage?.estimate === "function",
    "OPFS getDirectory": typeof storage?.getDirectory === "function",
    "OPFS createWritable": fileHandle !== undefined && "createWritable" in fileHandle.prototype,
    "OPFS createSyncAccessHandle": fileHandle !== undefined && "createSyncAccessHandle" in fileHandle.prototype,
  };
}

/** A classic service worker script that answers a message on its port with `probeFeatures()`. */
export function probeWorkerScript(): string {
  return `const probeFeatures = ${String(probeFeatures)};
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("message", (event) => event.ports[0]?.postMessage(probeFeatures()));`;
}
