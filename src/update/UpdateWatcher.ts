import { AssetError } from "../kernel/AssetError.js";
import type { Clock } from "../core/Clock.js";
import { Signal } from "../core/Signal.js";
import type { UpdateBroadcast } from "../kernel/protocol.js";
import { type BuildIndex, parseBuildIndex } from "./BuildIndex.js";
import { diffIndexes } from "./diffIndexes.js";
import type { UpdateChannel } from "./UpdateChannel.js";
import type { UpdateInfo } from "../kernel/UpdateInfo.js";

/** The default of `AssetServerOptions.updateCheckMs`. */
export const DEFAULT_UPDATE_CHECK_MS = 10 * 60_000;
/** A check that has not answered by then fails with TIMEOUT (a stalled connection must not hang it). */
export const CHECK_TIMEOUT_MS = 30_000;

export interface UpdateWatcherDeps {
  /** Absolute URL of the app's pkg index; names the index in errors. */
  indexUrl: string;
  clock: Clock;
  /** Automatic checks (when the page becomes visible again) at most once per this many ms. */
  checkEveryMs: number;
  /**
   * `"running"`: the index as the page itself gets it (from the worker's precache when the worker
   * controls the page): the build the page runs. `"latest"`: past the worker, revalidated with
   * the server: one conditional request.
   */
  fetchIndex(which: "running" | "latest", signal: AbortSignal): Promise<BuildIndex>;
  /** Runs `emit` from the server's next `flush()`. */
  deliver(emit: () => void): void;
  /** Calls `listener` whenever the page becomes visible again; returns the unsubscribe. */
  onVisible?: (listener: () => void) => () => void;
  /** The tabs' channel, opened with the watcher's listener. */
  openChannel?: (listener: (message: UpdateBroadcast) => void) => UpdateChannel | null;
  /** Told once the running build is known, so the worker keeps its files; returns the release. */
  holdRunning?: (build: string) => () => void;
}

/**
 * Finds new builds: when started, when the page becomes visible again (at most once per
 * `checkEveryMs`), on `check()`, and when another tab found or applied one. Each new build is
 * announced once per tab: `available` first, `ready` once it has been applied (here or in another
 * tab), both from `flush()`. A check that fails never announces anything.
 */
export class UpdateWatcher {
  readonly available = new Signal<UpdateInfo>();
  readonly ready = new Signal<UpdateInfo>();

  readonly #deps: UpdateWatcherDeps;
  #running: Promise<BuildIndex> | null = null;
  #runningIndex: BuildIndex | null = null;
  #latest: (BuildIndex & { build: string }) | null = null;
  #lastCheckAt = Number.NEGATIVE_INFINITY;
  #inFlight: Promise<UpdateInfo | null> | null = null;
  readonly #announced = new Set<string>();
  readonly #readied = new Set<string>();
  readonly #cleanUps: Array<() => void> = [];
  #channel: UpdateChannel | null = null;
  #disposed = false;

  constructor(deps: UpdateWatcherDeps) {
    this.#deps = deps;
  }

  /** Checks now, then whenever the page becomes visible again and `checkEveryMs` have passed; listens to the other tabs. */
  start(): void {
    if (this.#disposed) return;
    this.#channel = this.#deps.openChannel?.((message) => void this.#received(message)) ?? null;
    if (this.#channel) this.#cleanUps.push(() => this.#channel?.close());
    const unsubscribe = this.#deps.onVisible?.(() => {
      if (this.#deps.clock.now() - this.#lastCheckAt >= this.#deps.checkEveryMs) this.#checkQuietly();
    });
    if (unsubscribe) this.#cleanUps.push(unsubscribe);
    this.#checkQuietly();
  }

  /**
   * One conditional request for the index. Resolves with the new build compared with the running
   * one, or null when the server has the running build (or it is a dev build, which has no
   * updates); rejects with an `AssetError` when the index cannot be fetched or read.
   */
  check(): Promise<UpdateInfo | null> {
    this.#inFlight ??= this.#check().finally(() => (this.#inFlight = null));
    return this.#inFlight;
  }

  /** The running build and the newest one known (checking when none is known yet); null when there is nothing to apply. */
  async target(): Promise<{ running: BuildIndex; latest: BuildIndex & { build: string } } | null> {
    const running = await this.#runningBuild();
    if (running.build === null) return null;
    if (this.#latest === null) await this.check();
    const latest = this.#latest;
    return latest !== null && latest.build !== running.build ? { running, latest } : null;
  }

  /** `latest` has been applied in this tab: announce it here and in the other tabs. */
  applied(latest: BuildIndex & { build: string }): void {
    this.#announceReady(latest, true);
  }

  dispose(): void {
    this.#disposed = true;
    for (const cleanUp of this.#cleanUps.splice(0)) cleanUp();
  }

  async #check(): Promise<UpdateInfo | null> {
    this.#lastCheckAt = this.#deps.clock.now();
    const running = await this.#runningBuild();
    if (running.build === null) return null;
    const latest = await this.#fetch("latest");
    return this.#consider(latest, true);
  }

  #checkQuietly(): void {
    // Offline, a 404, a malformed index: an automatic check has nobody to tell; the next one tries again.
    this.check().catch(() => undefined);
  }

  /** The index of the build this page runs: fetched once (a failure is forgotten, so it is tried again). */
  #runningBuild(): Promise<BuildIndex> {
    if (this.#running === null) {
      const fetching = this.#fetch("running").then((index) => {
        if (this.#runningIndex === null) {
          this.#runningIndex = index;
          if (index.build !== null && !this.#disposed) {
            const release = this.#deps.holdRunning?.(index.build);
            if (release) this.#cleanUps.push(release);
          }
        }
        return this.#runningIndex;
      });
      fetching.catch(() => {
        if (this.#running === fetching) this.#running = null;
      });
      this.#running = fetching;
    }
    return this.#running;
  }

  /** `fetchIndex` within `CHECK_TIMEOUT_MS`. */
  async #fetch(which: "running" | "latest"): Promise<BuildIndex> {
    const controller = new AbortController();
    const timer = this.#deps.clock.setTimeout(
      () => controller.abort(new AssetError("TIMEOUT", this.#deps.indexUrl, { message: `the pkg:// index ${this.#deps.indexUrl} did not arrive within ${CHECK_TIMEOUT_MS} ms` })),
      CHECK_TIMEOUT_MS,
    );
    try {
      return await this.#deps.fetchIndex(which, controller.signal);
    } finally {
      this.#deps.clock.clearTimeout(timer);
    }
  }

  /** Compares `latest` with the running build; announces a new one once. */
  #consider(latest: BuildIndex, share: boolean): UpdateInfo | null {
    const running = this.#runningIndex;
    const build = latest.build;
    if (running === null || running.build === null || build === null || build === running.build) return null;
    const newest = { ...latest, build };
    this.#latest = newest;
    const info = diffIndexes(running, newest);
    if (!this.#announced.has(build) && !this.#disposed) {
      this.#announced.add(build);
      this.#deps.deliver(() => this.available.emit(info));
      if (share) this.#channel?.post({ type: "simvx-assets:update-available", build, index: latest.json, indexBytes: latest.bytes });
    }
    return info;
  }

  #announceReady(latest: BuildIndex & { build: string }, share: boolean): void {
    const info = this.#consider(latest, share);
    if (info === null || this.#readied.has(latest.build) || this.#disposed) return;
    this.#readied.add(latest.build);
    this.#deps.deliver(() => this.ready.emit(info));
    if (share) this.#channel?.post({ type: "simvx-assets:update-ready", build: latest.build, index: latest.json, indexBytes: latest.bytes });
  }

  /** Another tab found or applied a build: the same, compared with the build this tab runs, without a request. */
  async #received(message: UpdateBroadcast): Promise<void> {
    let latest: BuildIndex;
    try {
      await this.#runningBuild();
      latest = parseBuildIndex(message.index, this.#deps.indexUrl, message.indexBytes);
    } catch {
      return;
    }
    if (latest.build !== message.build || latest.build === null) return;
    if (message.type === "simvx-assets:update-ready") this.#announceReady({ ...latest, build: latest.build }, false);
    else this.#consider(latest, false);
  }
}
