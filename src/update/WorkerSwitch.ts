import { AssetError } from "../kernel/AssetError.js";
import type { Clock } from "../core/Clock.js";
import type { ActivateRequest, BuildAnswer, BuildQuery } from "../kernel/protocol.js";

/** How long a worker may take to answer which build it serves (an older worker never answers). */
const BUILD_QUERY_MS = 3_000;
/** A new worker's install precaches the changed shell files and checks the store. */
const INSTALL_WAIT_MS = 5 * 60_000;
/**
 * The browser activates the new worker once the old one has no event left: a batch it still runs
 * (at most its `maxCallMs`, 5 minutes) delays the switch. Until then a reload would still get the
 * old shell, so `updateReady` waits for it.
 */
const ACTIVATE_WAIT_MS = 6 * 60_000;

const STATE_ORDER: Record<ServiceWorkerState, number> = { parsed: 0, installing: 1, installed: 2, activating: 3, activated: 4, redundant: -1 };

/**
 * The page's side of a worker switch: asks the browser for the new `asset-sw.js` (its install
 * precaches the new shell), then asks the waiting worker to take over, which moves every open tab
 * of the app to it (old builds' files stay stored while a page runs them).
 */
export class WorkerSwitch {
  readonly #container: ServiceWorkerContainer | null;
  readonly #clock: Clock;
  /** Names the switch in errors. */
  readonly #uri: string;

  constructor(container: ServiceWorkerContainer | null, clock: Clock, uri: string) {
    this.#container = container;
    this.#clock = clock;
    this.#uri = uri;
  }

  /** The build the active worker serves; null when there is none or it does not say. */
  async activeBuild(): Promise<string | null> {
    const active = (await this.#registration())?.active ?? null;
    return active === null ? null : this.#ask(active);
  }

  /**
   * Resolves once a worker of `build` is active: true when this call made it so, false when it
   * was already. Without a registration (no worker, in-page loading) there is nothing to switch:
   * the next page load fetches the new shell itself.
   */
  async switchTo(build: string, signal: AbortSignal): Promise<boolean> {
    const registration = await this.#registration();
    if (registration === undefined) return false;
    if (registration.active !== null && (await this.#ask(registration.active)) === build) return false;
    let next = registration.installing ?? registration.waiting;
    if (next === null || (await this.#ask(next)) !== build) {
      try {
        await registration.update();
      } catch (cause) {
        throw new AssetError("NETWORK", this.#uri, { cause, message: `could not fetch the new service worker for build ${build}: ${cause instanceof Error ? cause.message : String(cause)}` });
      }
      next = registration.installing ?? registration.waiting;
    }
    if (next === null) {
      if (registration.active !== null && (await this.#ask(registration.active)) === build) return false;
      throw new AssetError("NOT_FOUND", this.#uri, { message: `the server has no new service worker for build ${build} (is the asset-sw.js of that build deployed?)` });
    }
    await this.#reach(next, "installed", INSTALL_WAIT_MS, signal);
    if (next.state === "installed") {
      const activate: ActivateRequest = { type: "simvx-assets:activate" };
      next.postMessage(activate);
    }
    await this.#reach(next, "activated", ACTIVATE_WAIT_MS, signal);
    return true;
  }

  async #registration(): Promise<ServiceWorkerRegistration | undefined> {
    return (await this.#container?.getRegistration().catch(() => undefined)) ?? undefined;
  }

  /** Which build `worker` serves (`BuildQuery`), or null when it does not answer in time. */
  #ask(worker: ServiceWorker): Promise<string | null> {
    return new Promise((resolve) => {
      const channel = new MessageChannel();
      const timer = this.#clock.setTimeout(() => done(null), BUILD_QUERY_MS);
      const done = (build: string | null): void => {
        this.#clock.clearTimeout(timer);
        channel.port1.close();
        resolve(build);
      };
      channel.port1.onmessage = (event: MessageEvent<Partial<BuildAnswer>>) => done(typeof event.data?.build === "string" ? event.data.build : null);
      const query: BuildQuery = { type: "simvx-assets:build-query", port: channel.port2 };
      try {
        worker.postMessage(query, [channel.port2]);
      } catch {
        done(null);
      }
    });
  }

  /** Resolves once `worker` is in `state` or past it; rejects if it turns redundant (a failed install) or time runs out. */
  #reach(worker: ServiceWorker, state: "installed" | "activated", waitMs: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (worker.state === "redundant") finish(new AssetError("NETWORK", this.#uri, { message: `the new service worker failed to install (a shell or pkg file of the new build could not be fetched)` }));
        else if (STATE_ORDER[worker.state] >= STATE_ORDER[state]) finish(null);
      };
      const onAbort = (): void => finish(new AssetError("CANCELLED", this.#uri));
      const timer = this.#clock.setTimeout(() => finish(new AssetError("TIMEOUT", this.#uri, { message: `the new service worker was not ${state} within ${waitMs} ms` })), waitMs);
      const finish = (error: AssetError | null): void => {
        this.#clock.clearTimeout(timer);
        worker.removeEventListener("statechange", check);
        signal.removeEventListener("abort", onAbort);
        if (error === null) resolve();
        else reject(error);
      };
      worker.addEventListener("statechange", check);
      signal.addEventListener("abort", onAbort, { once: true });
      if (signal.aborted) onAbort();
      else check();
    });
  }
}
