// A built app with pkg:// packs, driven by e2e/packs.spec.ts through `window.packs`.
import { AssetServer, type BatchHandle } from "../../../src/index.js";

export interface LoadedFile {
  uri: string;
  state: string;
  code: string | null;
  text: string | null;
  servedFrom: string | null;
}

/** A server of the page's own, in the page (no worker): what a first visit does before the worker controls it. */
const server = new AssetServer({ backend: "in-page" });

async function settle(batch: BatchHandle): Promise<LoadedFile[]> {
  await new Promise<void>((resolve) => batch.completed.once(() => resolve()));
  return batch.handles.map((handle) => ({
    uri: handle.uri,
    state: handle.state,
    code: handle.error?.code ?? null,
    text: textOf(handle.value),
    servedFrom: handle.servedFrom ?? null,
  }));
}

function textOf(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (value instanceof Uint8Array) return new TextDecoder().decode(value);
  return typeof value === "string" ? value : JSON.stringify(value);
}

const api = {
  loadFolder: (uri: string) => settle(server.loadFolder(uri)),
  loadGroup: (uris: string[]) => settle(server.loadGroup(uris)),
  loadManifest: (uri: string) => settle(server.loadManifest(uri)),
  forgetMemory: () => server.clearCaches(),
};

declare global {
  interface Window {
    packs: typeof api;
  }
}
window.packs = api;
document.getElementById("status")!.textContent = "ready";
