import type { Environment } from "../platform/environment.js";
import type { HttpBackend } from "../kernel/HttpBackend.js";
import { FileSource } from "./FileSource.js";
import { HttpSource } from "./HttpSource.js";
import type { MemSource } from "./MemSource.js";
import { PkgSource } from "./PkgSource.js";
import type { Source } from "./Source.js";

export interface DefaultSourcesOptions {
  http: HttpBackend;
  mem: MemSource;
  environment: Environment;
  /** Node: pkg:// package name → folder on disk. */
  packages?: Record<string, string>;
  /** Browser: where the pkg:// build index is served. */
  pkgIndexUrl?: string;
}

/** The built-in source of each scheme: `pkg`, `file`, `http`, `https` (one shared source), `mem`. */
export function createDefaultSources(options: DefaultSourcesOptions): Record<string, Source> {
  const http = new HttpSource(options.http);
  return {
    pkg: new PkgSource({
      backend: options.http,
      environment: options.environment,
      ...(options.packages === undefined ? {} : { packages: options.packages }),
      ...(options.pkgIndexUrl === undefined ? {} : { indexUrl: options.pkgIndexUrl }),
    }),
    file: new FileSource({ environment: options.environment }),
    http,
    https: http,
    mem: options.mem,
  };
}
