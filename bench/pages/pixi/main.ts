import { Assets, DOMAdapter, ExtensionType, extensions, LoaderParserPriority, type LoaderParser } from "pixi.js";
import type { LoadOutcome, RunRequest } from "../shared/benchApi.js";
import { readBodyStreaming } from "../shared/readBodyStreaming.js";
import { installBench } from "../shared/installBench.js";

// PixiJS has no raw-bytes parser; a game adds one like this for its binary files.
const loadBinary: LoaderParser<Uint8Array> = {
  extension: { type: ExtensionType.LoadParser, priority: LoaderParserPriority.Normal },
  name: "benchBinary",
  id: "bench-binary",
  test: (url: string) => new URL(url, location.href).pathname.endsWith(".bin"),
  async load(url: string): Promise<Uint8Array> {
    const response = await DOMAdapter.get().fetch(url);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return readBodyStreaming(response);
  },
};
extensions.add(loadBinary);

async function load(request: RunRequest): Promise<LoadOutcome> {
  await Assets.init();
  const outcome: LoadOutcome = { loaded: 0, failed: 0, revSum: 0, bytes: 0 };
  // `skip` so one failure does not reject the rest and the failures can be counted.
  const assets = await Assets.load<unknown>(request.urls, { strategy: "skip", onError: () => outcome.failed++ });
  for (const url of request.urls) {
    const value = assets[url];
    if (value === undefined || value === null) continue;
    outcome.loaded++;
    if (request.kind === "json") outcome.revSum += (value as { rev?: number }).rev ?? 0;
    else outcome.bytes += (value as Uint8Array).byteLength;
  }
  outcome.failed = request.urls.length - outcome.loaded;
  return outcome;
}

installBench("pixi-assets", { setup: async () => undefined, load });
