import type { Plugin } from "vite";

/** Runs first in the demo's page: records every value its loading bar shows, from the first paint on. */
function recordProgress(): void {
  const seen: number[] = [];
  (window as unknown as { progressSeen: number[] }).progressSeen = seen;
  new MutationObserver(() => {
    const value = document.querySelector("[role=progressbar]")?.getAttribute("aria-valuenow");
    if (value !== null && value !== undefined && Number(value) !== seen.at(-1)) seen.push(Number(value));
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ["aria-valuenow"] });
}

/** Puts the loading-bar recorder at the top of every HTML page (no driver offers init scripts in all engines). */
export function progressRecorderPlugin(): Plugin {
  return {
    name: "e2e:progress-recorder",
    transformIndexHtml: () => [{ tag: "script", children: `(${String(recordProgress)})();`, injectTo: "head-prepend" }],
  };
}
