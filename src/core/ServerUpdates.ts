import type { HttpBackend } from "../kernel/HttpBackend.js";
import type { UpdateInfo } from "../kernel/UpdateInfo.js";
import type { Source } from "../sources/Source.js";
import type { BatchHandle } from "./BatchHandle.js";
import type { Clock } from "./Clock.js";
import type { BatchOptions } from "./options.js";
import { Signal } from "./Signal.js";

/** What `AssetServer` exposes of updates after a deploy (the browser platform builds them: `src/update/`). */
export interface ServerUpdates {
  readonly available: Signal<UpdateInfo>;
  readonly ready: Signal<UpdateInfo>;
  check(): Promise<UpdateInfo | null>;
  apply(): BatchHandle;
  dispose(): void;
}

/** What the updates need from the server that owns them. */
export interface UpdatesHost {
  clock: Clock;
  backend: HttpBackend | null;
  /** `AssetServerOptions.updateCheckMs`. */
  updateCheckMs: number | undefined;
  /** `AssetServerOptions.pkgIndexUrl`. */
  pkgIndexUrl: string | undefined;
  /** Runs `emit` from the next `flush()`. */
  deliver(emit: () => void): void;
  loadManifest(uri: string, opts: BatchOptions): BatchHandle;
  loadGroup(uris: readonly string[]): BatchHandle;
  registerSource(scheme: string, source: Source): void;
  onError: ((error: unknown) => void) | undefined;
}

/** No updates (Node, an app without the Vite plugin): a check finds none, applying downloads nothing. */
export function noUpdates(host: UpdatesHost): ServerUpdates {
  return { available: new Signal(), ready: new Signal(), check: () => Promise.resolve(null), apply: () => host.loadGroup([]), dispose: () => undefined };
}
