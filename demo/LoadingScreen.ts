import type { BatchHandle } from "../src/index.js";
import { shortName } from "./AssetTracker.js";

/**
 * The seed's loading-screen pattern: a status line per finished item ("Loading 12/48: coin-3.png")
 * and a bar that follows the batch's byte-weighted progress and never moves backwards.
 */
export class LoadingScreen {
  private readonly bar: HTMLElement;
  private readonly fill: HTMLElement;
  private readonly status: HTMLElement;
  private readonly detail: HTMLElement;
  private readonly percent: HTMLElement;
  private shown = 0;

  constructor(private readonly root: HTMLElement) {
    this.bar = root.querySelector<HTMLElement>("[role=progressbar]")!;
    this.fill = root.querySelector<HTMLElement>(".bar-fill")!;
    this.status = root.querySelector<HTMLElement>(".status")!;
    this.detail = root.querySelector<HTMLElement>(".detail")!;
    this.percent = root.querySelector<HTMLElement>(".percent")!;
  }

  setStatus(text: string): void {
    this.status.textContent = text;
  }

  setDetail(text: string): void {
    this.detail.textContent = text;
  }

  /** Follows `batch` until it completes; resolves once the full bar has been on screen briefly. */
  follow(batch: BatchHandle, detail: () => string): Promise<void> {
    batch.itemCompleted.connect((handle) => {
      const failed = handle.state === "failed" ? " (failed)" : "";
      this.setStatus(`Loading ${batch.completedCount}/${batch.total}: ${shortName(handle.uri)}${failed}`);
    });
    return new Promise((resolve) => {
      const frame = () => {
        this.setProgress(batch.progress);
        this.setDetail(detail());
        if (!batch.isDone) {
          requestAnimationFrame(frame);
          return;
        }
        this.setProgress(1);
        const failures = batch.failedCount > 0 ? ` · ${batch.failedCount} failed` : "";
        this.setStatus(`Loaded ${batch.completedCount - batch.failedCount - batch.cancelledCount}/${batch.total}${failures}`);
        setTimeout(resolve, 350);
      };
      requestAnimationFrame(frame);
    });
  }

  /** Only ever forward: a batch that learns of more children may report less than before. */
  setProgress(progress: number): void {
    const next = Math.max(this.shown, Math.min(1, Number.isFinite(progress) ? progress : 0));
    if (next === this.shown && this.shown !== 0) return;
    this.shown = next;
    const percent = Math.floor(next * 100);
    this.fill.style.transform = `scaleX(${next})`;
    this.bar.setAttribute("aria-valuenow", String(percent));
    this.percent.textContent = `${percent}%`;
  }

  showError(message: string, retry: () => void): void {
    this.root.classList.add("error");
    this.setStatus(message);
    const button = document.createElement("button");
    button.className = "button";
    button.textContent = "Try again";
    button.addEventListener("click", retry, { once: true });
    this.detail.replaceChildren(button);
  }

  hide(): void {
    this.root.classList.add("done");
    setTimeout(() => (this.root.hidden = true), 400);
  }
}
