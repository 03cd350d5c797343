import { AssetError } from "../kernel/AssetError.js";
import type { Handle } from "../core/Handle.js";
import { buildApplyLock, buildDownloadLock } from "../engine/buildLocks.js";
import { integrityFromSha256Hex } from "../kernel/verifyIntegrity.js";
import { untilCancelled } from "../kernel/abort.js";
import type { ReadContext, ReadResult } from "../sources/Source.js";
import type { HttpBackend } from "../kernel/HttpBackend.js";
import type { BuildFile, BuildIndex } from "./BuildIndex.js";
import { diffIndexes } from "./diffIndexes.js";
import { holdLock } from "./holdLock.js";

type LatestIndex = BuildIndex & { build: string };

export interface ApplyRunDeps {
  indexUrl: string;
  /** The running and the newest known build; null when there is nothing to apply. */
  target(): Promise<{ running: BuildIndex; latest: LatestIndex } | null>;
  /** The build has been applied: `updateReady`. */
  applied(latest: LatestIndex): void;
  backend: HttpBackend;
  switcher: { activeBuild(): Promise<string | null>; switchTo(build: string, signal: AbortSignal): Promise<boolean> };
  locks: LockManager | null;
}

interface Download {
  file: BuildFile;
  done: Promise<void>;
  settle(error?: AssetError): void;
}

/**
 * One `applyUpdate()`, read by its batch through the `simvx-update://` source: the manifest
 * lists the new build's changed and added pkg files and, last, the shell step, which waits for
 * every file to be stored and then switches the worker. While it runs this tab holds the apply
 * lock (other tabs apply after it, and find everything stored) and, during the downloads, the
 * download lock (a new worker installing meanwhile waits, then finds the files stored).
 */
export class ApplyRun {
  readonly #base: string;
  readonly #deps: ApplyRunDeps;
  readonly #downloads = new Map<string, Download>();
  #latest: LatestIndex | null = null;
  #releaseApply: (() => void) | null = null;
  #releaseDownload: (() => void) | null = null;
  #ended = false;

  /** @param base `simvx-update://apply-<n>/`: the uris of this run's manifest, files and shell step. */
  constructor(base: string, deps: ApplyRunDeps) {
    this.#base = base;
    this.#deps = deps;
  }

  get manifestUri(): string {
    return `${this.#base}manifest.json`;
  }

  /** Reads a uri of this run: the manifest, a file, or the shell step. */
  read(uri: string, ctx: ReadContext): Promise<ReadResult> {
    if (uri === this.manifestUri) return this.#manifest(ctx.signal);
    if (uri === `${this.#base}shell`) return this.#shell(ctx.signal);
    const download = this.#downloads.get(uri);
    if (download === undefined) return Promise.reject(new AssetError("NOT_FOUND", uri, { message: `${uri} is not part of this update` }));
    return this.#file(uri, download, ctx);
  }

  /** A child of the batch ended: one that ended before its read ran (cancelled) must not hold the shell step. */
  childEnded(child: Handle): void {
    const download = this.#downloads.get(child.absoluteUri);
    if (download && child.state !== "loaded") download.settle(child.error ?? new AssetError("CANCELLED", child.uri));
  }

  /** The batch is over, however it ended: let go of the locks. */
  end(): void {
    this.#ended = true;
    this.#releaseDownload?.();
    this.#releaseApply?.();
    this.#releaseDownload = this.#releaseApply = null;
  }

  /** The batch ended while this run waited for a lock: give it back at once. */
  #throwIfEnded(): void {
    if (!this.#ended) return;
    this.end();
    throw new AssetError("CANCELLED", this.manifestUri);
  }

  async #manifest(signal: AbortSignal): Promise<ReadResult> {
    this.#releaseApply = await holdLock(this.#deps.locks, buildApplyLock(this.#deps.indexUrl), { signal });
    this.#throwIfEnded();
    const target = await this.#deps.target();
    if (target === null) {
      this.end();
      return manifestOf([]);
    }
    this.#latest = target.latest;
    // Another tab applied it already (this one waited for its lock): nothing left to download.
    const appliedAlready = (await this.#deps.switcher.activeBuild()) === target.latest.build;
    const info = diffIndexes(target.running, target.latest);
    const files = appliedAlready ? [] : [...info.changed, ...info.added].map((uri) => target.latest.files.get(uri)!);
    if (files.length > 0) this.#releaseDownload = await holdLock(this.#deps.locks, buildDownloadLock(this.#deps.indexUrl), { signal });
    this.#throwIfEnded();
    const entries = files.map((file) => {
      const uri = new URL(`${this.#base}${file.uri.slice("pkg://".length)}`).href;
      let settle!: (error?: AssetError) => void;
      const done = new Promise<void>((resolve, reject) => (settle = (error) => (error ? reject(error) : resolve())));
      done.catch(() => undefined);
      this.#downloads.set(uri, { file, done, settle });
      return { uri, size: file.size };
    });
    return manifestOf([...entries, { uri: `${this.#base}shell` }]);
  }

  async #file(uri: string, download: Download, ctx: ReadContext): Promise<ReadResult> {
    const { file } = download;
    try {
      const outcome = await this.#deps.backend.fetch(
        {
          url: file.href,
          knownVersion: null,
          cache: true,
          // Content-hashed (immutable): nothing is revalidated, whichever mode.
          revalidate: "conditional-get",
          integrity: integrityFromSha256Hex(file.sha256),
          // Content-hashed: a stored copy is this file, with no request.
          immutable: true,
          priority: ctx.priority ?? -1,
          ...(ctx.retries === undefined ? {} : { retries: ctx.retries }),
          ...(ctx.stallTimeoutMs === undefined ? {} : { stallTimeoutMs: ctx.stallTimeoutMs }),
        },
        { signal: ctx.signal, onProgress: ctx.onProgress },
      );
      download.settle();
      return { ...outcome, version: file.sha256 };
    } catch (error) {
      const failure = AssetError.from(error, uri, "NETWORK");
      download.settle(failure);
      throw failure.uri === uri ? failure : new AssetError(failure.code, uri, { cause: failure, message: `${failure.message} (for ${file.uri})`, ...(failure.status === undefined ? {} : { status: failure.status }) });
    }
  }

  async #shell(signal: AbortSignal): Promise<ReadResult> {
    const latest = this.#latest;
    if (latest === null) throw new AssetError("CANCELLED", `${this.#base}shell`);
    await untilCancelled(Promise.all([...this.#downloads.values()].map((download) => download.done)), signal, `${this.#base}shell`);
    if (this.#releaseDownload !== null) {
      // The worker answers before its store commits (write-behind); asking for the store's figures
      // commits it, so the new worker's install finds every file stored.
      await this.#deps.backend.stats().catch(() => undefined);
      this.#releaseDownload();
      this.#releaseDownload = null;
    }
    const switched = await this.#deps.switcher.switchTo(latest.build, signal);
    this.#deps.applied(latest);
    this.end();
    // "network" when this tab installed the new worker (its shell came new), else it was there already.
    return { bytes: new TextEncoder().encode(latest.build), version: latest.build, servedFrom: switched ? "network" : "persistent" };
  }
}

function manifestOf(assets: Array<{ uri: string; size?: number }>): ReadResult {
  return { bytes: new TextEncoder().encode(JSON.stringify({ assets })), version: null };
}

