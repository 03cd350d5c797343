import type { GameAssets } from "./GameAssets.js";
import { markdownToHtml } from "./markdown.js";

function icon(image: ImageBitmap | null, label: string): HTMLElement {
  const canvas = document.createElement("canvas");
  canvas.width = 16;
  canvas.height = 16;
  canvas.className = "icon";
  canvas.setAttribute("aria-label", label);
  if (image) canvas.getContext("2d")?.drawImage(image, 0, 0);
  return canvas;
}

/** The HTML layer over the canvas: hearts, counters, the origin's news, toasts, the win card. */
export class Hud {
  private readonly hearts: HTMLElement;
  private readonly coins: HTMLElement;
  private readonly gems: HTMLElement;
  private readonly news: HTMLElement;
  private readonly tip: HTMLElement;
  private readonly toast: HTMLElement;
  private readonly overlay: HTMLElement;
  private toastTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly root: HTMLElement, private readonly assets: GameAssets) {
    this.hearts = root.querySelector<HTMLElement>(".hud-hearts")!;
    this.coins = root.querySelector<HTMLElement>(".hud-coins")!;
    this.gems = root.querySelector<HTMLElement>(".hud-gems")!;
    this.news = root.querySelector<HTMLElement>(".news-text")!;
    this.tip = root.querySelector<HTMLElement>(".tip")!;
    this.toast = root.querySelector<HTMLElement>(".toast")!;
    this.overlay = root.querySelector<HTMLElement>(".overlay")!;
    this.refreshIcons();
  }

  /** Redraws the icons (after the sprites were reloaded). */
  refreshIcons(): void {
    this.coins.querySelector(".icon")?.replaceWith(icon(this.assets.image("sprites/coin-0.png"), "coins"));
    this.gems.querySelector(".icon")?.replaceWith(icon(this.assets.image("origin/gems/ruby.png"), "gems"));
    this.hearts.dataset.count = "";
  }

  update(hearts: number, coins: number, coinsTotal: number, gems: number, gemsTotal: number): void {
    if (this.hearts.dataset.count !== String(hearts)) {
      this.hearts.dataset.count = String(hearts);
      this.hearts.replaceChildren(...Array.from({ length: 3 }, (_, i) => {
        const heart = icon(this.assets.image("ui/heart.png"), "heart");
        if (i >= hearts) heart.classList.add("lost");
        return heart;
      }));
    }
    setText(this.coins.querySelector(".count")!, `${coins}/${coinsTotal}`);
    setText(this.gems.querySelector(".count")!, `${gems}/${gemsTotal}`);
  }

  setNews(headline: string | null, deploy: number | null): void {
    this.news.textContent = headline ?? "The news server could not be reached: playing offline.";
    this.news.title = this.news.textContent;
    this.news.parentElement!.dataset.deploy = deploy === null ? "" : String(deploy);
    this.news.parentElement!.classList.remove("flash");
    void this.news.parentElement!.offsetWidth; // restart the CSS animation
    this.news.parentElement!.classList.add("flash");
  }

  setTip(text: string): void {
    this.tip.textContent = text;
  }

  showToast(text: string): void {
    this.toast.textContent = text;
    this.toast.classList.add("visible");
    clearTimeout(this.toastTimer);
    this.toastTimer = setTimeout(() => this.toast.classList.remove("visible"), 2200);
  }

  showWin(coins: number, coinsTotal: number, gems: number, gemsTotal: number, credits: string | null): void {
    this.overlay.innerHTML = `<div class="card"><h2>Level complete!</h2><p class="score">Coins ${coins}/${coinsTotal} · Gems ${gems}/${gemsTotal}</p>${
      credits ? `<div class="credits">${markdownToHtml(credits)}</div>` : ""
    }<p class="hint">Press <kbd>Enter</kbd> to play again</p></div>`;
    this.overlay.hidden = false;
  }

  hideWin(): void {
    this.overlay.hidden = true;
  }

  get rootElement(): HTMLElement {
    return this.root;
  }
}

function setText(element: Element, text: string): void {
  if (element.textContent !== text) element.textContent = text;
}
