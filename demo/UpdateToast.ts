import type { UpdateInfo } from "../src/index.js";
import { formatBytes } from "./DevPanel.js";

/**
 * "Update ready": shown once a new build has been downloaded and its worker has taken over (the
 * server's `updateReady`). It stays until clicked, and a click reloads into the new build.
 */
export class UpdateToast {
  private readonly button: HTMLButtonElement;

  constructor(parent: HTMLElement, reload: () => void) {
    this.button = document.createElement("button");
    this.button.type = "button";
    this.button.id = "update-toast";
    this.button.className = "update-toast";
    this.button.hidden = true;
    this.button.addEventListener("click", reload);
    parent.append(this.button);
  }

  show(info: UpdateInfo): void {
    const files = info.changed.length + info.added.length;
    this.button.textContent = `Update ready: ${files} ${files === 1 ? "file" : "files"}, ${formatBytes(info.bytes)}. Click to reload`;
    this.button.dataset.build = info.build;
    this.button.hidden = false;
  }
}
