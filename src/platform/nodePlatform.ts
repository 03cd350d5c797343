import { EventLoopFlushScheduler } from "../core/FlushScheduler.js";
import { httpSources, type Platform } from "../core/Platform.js";
import { FetchEngine } from "../engine/FetchEngine.js";
import { MemoryStore } from "../engine/MemoryStore.js";
import type { HttpBackend } from "../kernel/HttpBackend.js";
import type { RevalidateMode } from "../kernel/protocol.js";
import type { MemSource } from "../sources/MemSource.js";
import { NodeFileSource } from "../sources/node/NodeFileSource.js";
import { NodePkgSource } from "../sources/node/NodePkgSource.js";
import type { Source } from "../sources/Source.js";
import { InPageBackend } from "../transport/InPageBackend.js";

/** The built-in source of each scheme in Node; `http` and `https` share one. */
export function nodeSources(http: HttpBackend, mem: MemSource, options: { packages?: Record<string, string>; revalidate?: RevalidateMode } = {}): Record<string, Source> {
  const { packages } = options;
  return { pkg: new NodePkgSource(packages ? { packages } : {}), file: new NodeFileSource(), ...httpSources(http, options.revalidate), mem };
}

/** Tools and tests: the engine in-process over a memory store, pkg:// from package folders, event-loop flushes. */
export const nodePlatform: Platform = {
  wire(options, resolved, mem) {
    const http =
      options.httpBackend ??
      new InPageBackend(new FetchEngine({ store: new MemoryStore(), ...resolved.engine }));
    return {
      sources: nodeSources(http, mem, { revalidate: resolved.revalidate, ...(options.packages ? { packages: options.packages } : {}) }),
      httpBackend: http,
      defaultBase: workingDirectoryUrl(),
      scheduleFlush: (flush) => new EventLoopFlushScheduler(flush),
    };
  },
};

/** Where bare relative paths resolve in Node: the working directory, as a `file:` URL. */
function workingDirectoryUrl(): string {
  const cwd = process.cwd().replace(/\\/g, "/");
  const encoded = cwd.split("/").map(encodeURIComponent).join("/");
  return `file://${encoded.startsWith("/") ? "" : "/"}${encoded}/`;
}
