import type { AssetServer, BatchHandle, CacheStats } from "../src/index.js";
import { type AssetTracker, HANDLE_STATES, SERVED_FROM } from "./AssetTracker.js";
import { originStats } from "./originClient.js";
import { requestsForFiles } from "./requestFigures.js";

/** What the panel's buttons do; `main.ts` provides them. */
export interface DemoActions {
  reloadAll(): BatchHandle;
  deploy(): Promise<BatchHandle>;
  clearMemory(): Promise<void>;
  clearAll(): Promise<void>;
  /** Returns whether the filter is now on (false when WebGL 2 is missing). */
  toggleCrt(): boolean;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text = ""): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  if (text) node.textContent = text;
  return node;
}

const TEMPLATE = `
  <header class="panel-head"><h2>Dev panel</h2><span class="backend" title="Where HTTP loads run"></span>
    <button class="icon-button close" type="button" aria-label="Close the dev panel">×</button></header>
  <section><h3>Handles by state</h3><div class="chips states"></div></section>
  <section><h3>Served from</h3><div class="chips served"></div></section>
  <section class="numbers">
    <div><h3>From the network</h3><p class="net"></p>
      <p class="requests" title="HTTP requests the HTTP backend's engine sent since it started (a pack request is one), against the files they brought"></p></div>
    <div><h3>Memory caches</h3><p class="mem"></p></div>
  </section>
  <section><h3>IndexedDB cache</h3><div class="meter"><div class="meter-fill"></div></div><p class="idb"></p></section>
  <section><h3>Demo origin</h3><p class="origin">…</p></section>
  <section class="actions">
    <button class="button" type="button" data-action="reload">Reload all assets</button>
    <button class="button accent" type="button" data-action="deploy">Deploy new news.json</button>
    <button class="button" type="button" data-action="clear-memory">Clear memory caches</button>
    <button class="button danger" type="button" data-action="clear-all">Clear all caches</button>
    <button class="button" type="button" data-action="crt" aria-pressed="false">CRT filter</button>
  </section>
  <p class="action-status" aria-live="polite"></p>
  <section><h3>Recent loads</h3><ol class="log"></ol></section>
  <details><summary>shaders/crt.frag (loaded as text)</summary><pre class="shader"></pre></details>
`;

/**
 * The developer's view of the asset server: live handle counts, where each load came from, what
 * the network and IndexedDB hold, and buttons to clear caches or "deploy" on the demo origin.
 * Toggle it with the backquote key or the button.
 */
export class DevPanel {
  private timer: ReturnType<typeof setInterval> | undefined;
  private renderQueued = false;

  constructor(
    private readonly root: HTMLElement,
    private readonly toggleButton: HTMLButtonElement,
    private readonly server: AssetServer,
    private readonly tracker: AssetTracker,
    private readonly actions: DemoActions,
  ) {
    root.innerHTML = TEMPLATE;
    root.querySelector(".close")!.addEventListener("click", () => this.toggle(false));
    toggleButton.addEventListener("click", () => this.toggle());
    window.addEventListener("keydown", (event) => {
      if (event.code === "Backquote") {
        event.preventDefault();
        this.toggle();
      }
    });
    root.querySelector(".actions")!.addEventListener("click", (event) => {
      const button = (event.target as HTMLElement).closest<HTMLButtonElement>("button[data-action]");
      if (button) void this.run(button);
    });
    tracker.onChange(() => this.queueRender());
  }

  get isOpen(): boolean {
    return !this.root.hidden;
  }

  setShaderSource(source: string | null): void {
    this.root.querySelector(".shader")!.textContent = source ?? "(the shader did not load)";
  }

  toggle(open = !this.isOpen): void {
    this.root.hidden = !open;
    this.toggleButton.setAttribute("aria-expanded", String(open));
    clearInterval(this.timer);
    if (open) {
      this.render();
      void this.refreshStores();
      this.timer = setInterval(() => void this.refreshStores(), 1000);
    }
  }

  private async run(button: HTMLButtonElement): Promise<void> {
    const action = button.dataset.action;
    const status = this.root.querySelector<HTMLElement>(".action-status")!;
    this.root.dataset.lastAction = `${action}:running`;
    button.disabled = true;
    try {
      if (action === "reload") await this.settle(this.actions.reloadAll(), "Reloaded");
      if (action === "deploy") {
        status.textContent = "Deploying a new news.json to the demo origin…";
        await this.settle(await this.actions.deploy(), "Deployed, then reloaded the origin's assets");
      }
      if (action === "clear-memory") {
        await this.actions.clearMemory();
        status.textContent = "Memory caches cleared: the next load revalidates with the origin.";
      }
      if (action === "clear-all") {
        await this.actions.clearAll();
        status.textContent = "Memory and IndexedDB cleared: the next load downloads everything.";
      }
      if (action === "crt") button.setAttribute("aria-pressed", String(this.actions.toggleCrt()));
      this.root.dataset.lastAction = `${action}:done`;
    } catch (error) {
      status.textContent = `${action} failed: ${error instanceof Error ? error.message : String(error)}`;
      this.root.dataset.lastAction = `${action}:failed`;
    } finally {
      button.disabled = false;
      this.render();
      void this.refreshStores();
    }
  }

  private async settle(batch: BatchHandle, verb: string): Promise<void> {
    if (!batch.isDone) await new Promise((resolve) => batch.completed.once(resolve));
    const counts = new Map<string, number>();
    for (const handle of batch.handles) {
      const key = handle.servedFrom ?? handle.state;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const summary = [...counts].map(([key, count]) => `${count} ${key}`).join(", ");
    this.root.querySelector(".action-status")!.textContent = `${verb} ${batch.total} assets: ${summary}.`;
  }

  private queueRender(): void {
    if (this.renderQueued || !this.isOpen) return;
    this.renderQueued = true;
    requestAnimationFrame(() => {
      this.renderQueued = false;
      this.render();
    });
  }

  private render(): void {
    const states = this.tracker.stateCounts();
    this.root.querySelector(".states")!.replaceChildren(...HANDLE_STATES.map((state) => chip(state, states[state])));
    this.root.querySelector(".served")!.replaceChildren(...SERVED_FROM.map((from) => chip(from, this.tracker.servedFromCounts[from])));
    const stats = this.server.stats();
    this.root.querySelector(".backend")!.textContent = stats.httpBackend ?? "none";
    this.root.querySelector(".net")!.textContent = `${formatBytes(stats.networkBytes)} in ${stats.networkReads} downloads`;
    this.root.querySelector(".mem")!.textContent = formatBytes(stats.memoryCacheBytes);
    this.root.querySelector(".log")!.replaceChildren(
      ...this.tracker.log.slice(0, 14).map((record) => {
        const item = element("li", "log-item");
        item.append(element("span", "log-name", record.name), chip(record.servedFrom ?? record.errorCode ?? record.state, null));
        item.title = record.uri;
        return item;
      }),
    );
  }

  /** The engine's requests against files; in data attributes too, for tests. */
  private showRequests(stats: CacheStats | null): void {
    const figures = stats === null ? null : requestsForFiles(stats);
    this.root.querySelector(".requests")!.textContent = figures ?? "requests not counted";
    for (const key of ["requests", "files"] as const) {
      const value = stats?.[key];
      if (value === undefined) delete this.root.dataset[key];
      else this.root.dataset[key] = String(value);
    }
  }

  /** Asks the persistent cache and the demo origin for their numbers (both are async). */
  private async refreshStores(): Promise<void> {
    const idb = this.root.querySelector<HTMLElement>(".idb")!;
    try {
      const stats = await this.server.persistentStats();
      if (!stats) throw new Error("no persistent cache");
      const used = stats.budgetBytes > 0 ? stats.bytes / stats.budgetBytes : 0;
      this.root.querySelector<HTMLElement>(".meter-fill")!.style.transform = `scaleX(${Math.min(1, used)})`;
      idb.textContent = `${formatBytes(stats.bytes)} of ${formatBytes(stats.budgetBytes)} · ${stats.entries} entries`;
      this.showRequests(stats);
    } catch (error) {
      idb.textContent = `unavailable (${error instanceof Error ? error.message : String(error)})`;
      this.showRequests(null);
    }
    const origin = this.root.querySelector<HTMLElement>(".origin")!;
    if (!navigator.onLine) {
      origin.textContent = "offline";
      return;
    }
    try {
      const stats = await originStats();
      origin.textContent = `deploy #${stats.deploys} · sent ${stats.totals.full} files (${formatBytes(stats.totals.bytes)}) · answered ${stats.totals.notModified} × 304 Not Modified`;
      this.root.dataset.originFull = String(stats.totals.full);
      this.root.dataset.originNotModified = String(stats.totals.notModified);
    } catch {
      origin.textContent = "unreachable";
    }
  }
}

function chip(label: string, count: number | null): HTMLElement {
  const node = element("span", `chip chip-${label.toLowerCase()}`);
  node.append(element("span", "chip-label", label));
  if (count !== null) node.append(element("span", "chip-count", String(count)));
  return node;
}
