import type { HttpBackend } from "../kernel/HttpBackend.js";
import type { RevalidateMode } from "../kernel/protocol.js";
import { HttpSource } from "../sources/HttpSource.js";
import type { MemSource } from "../sources/MemSource.js";
import type { Source } from "../sources/Source.js";
import { EventLoopFlushScheduler, type FlushScheduler } from "./FlushScheduler.js";
import type { AssetServerOptions, ResolvedServerOptions } from "./options.js";
import type { ServerUpdates, UpdatesHost } from "./ServerUpdates.js";

/** What a platform builds for one `AssetServer`: objects only, nothing registered or listened to yet. */
export interface PlatformWiring {
  /** The built-in source of each scheme; the server's `sources` option replaces them one by one. */
  sources: Record<string, Source>;
  /** Where `persistentStats()` and `stats().httpBackend` look; null without an HTTP cache. */
  httpBackend: HttpBackend | null;
  /** Base of bare relative paths, unless the `defaultBase` option gives one. */
  defaultBase: string;
  scheduleFlush(flush: () => void): FlushScheduler;
  /** Tells of assets changed outside the server (the Vite dev client); returns how to stop. */
  watchChanges?(changed: (uri: string) => void): () => void;
  /** Updates after a deploy; without it there are none (`noUpdates`). */
  updates?(host: UpdatesHost): ServerUpdates;
}

/**
 * The one place that knows the host (browser or Node): the package's entry files install one
 * (`src/index.ts`, `src/index.node.ts`), so the core imports no source, transport or global, and
 * a core used on its own (tests) gets the bare platform below.
 */
export interface Platform {
  wire(options: AssetServerOptions, resolved: ResolvedServerOptions, mem: MemSource): PlatformWiring;
  /** What `AssetServer.instance()` does besides `new AssetServer()`: in a browser, register the worker. */
  startShared?(): void;
}

/**
 * No entry file installed (the core used on its own): `mem://`, and `http(s)://` through an injected
 * `httpBackend`; relative paths resolve under `mem://app/`.
 */
const barePlatform: Platform = {
  wire: (options, resolved, mem) => ({
    sources: { mem, ...(options.httpBackend ? httpSources(options.httpBackend, resolved.revalidate) : {}) },
    httpBackend: options.httpBackend ?? null,
    defaultBase: "mem://app/",
    scheduleFlush: (flush) => new EventLoopFlushScheduler(flush),
  }),
};

/** `http` and `https` served by one source over `backend`: every platform's, and the bare one's. */
export function httpSources(backend: HttpBackend, revalidate: RevalidateMode | undefined): Record<"http" | "https", Source> {
  const http = new HttpSource(backend, revalidate);
  return { http, https: http };
}

let installed: Platform = barePlatform;

/** Called once by an entry file; the last call wins (the Node entry re-exports the browser one's list). */
export function installPlatform(platform: Platform): void {
  installed = platform;
}

export function currentPlatform(): Platform {
  return installed;
}
