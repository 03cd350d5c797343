import type { Plugin } from "vite";

/**
 * Runs first in every page the test servers serve: keeps the page's console calls and uncaught
 * errors in `window.__simvxConsole`, for drivers that cannot hear the console themselves
 * (classic WebDriver, WebKit). The browser's own messages (a failed resource, say) are not seen.
 */
function recordConsole(): void {
  const entries: Array<{ type: string; text: string }> = [];
  (window as unknown as { __simvxConsole: typeof entries }).__simvxConsole = entries;
  const text = (value: unknown): string => {
    if (value instanceof Error) return `${value.name}: ${value.message}\n${value.stack ?? ""}`;
    if (typeof value !== "object" || value === null) return String(value);
    try {
      return JSON.stringify(value);
    } catch {
      return String(value);
    }
  };
  const levels = { log: "log", info: "info", debug: "debug", warn: "warning", error: "error" } as const;
  for (const [method, type] of Object.entries(levels) as Array<[keyof typeof levels, string]>) {
    const original = console[method].bind(console);
    console[method] = (...args: unknown[]) => {
      entries.push({ type, text: args.map(text).join(" ") });
      original(...args);
    };
  }
  window.addEventListener("error", (event) => entries.push({ type: "pageerror", text: event.message }));
  window.addEventListener("unhandledrejection", (event) => entries.push({ type: "pageerror", text: text(event.reason) }));
}

/** Puts the console recorder at the top of every HTML page, before any module runs. */
export function consoleRecorderPlugin(): Plugin {
  return {
    name: "e2e:console-recorder",
    transformIndexHtml: () => [{ tag: "script", children: `(${String(recordConsole)})();`, injectTo: "head-prepend" }],
  };
}
