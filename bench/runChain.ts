import type { Browser, Page } from "playwright-core";
import type { AssetStore } from "./AssetStore.js";
import type { BenchConfig } from "./config.js";
import type { RunRequest, RunResult } from "./pages/shared/benchApi.js";
import { untilBrowserQuiet } from "./browserQuiet.js";
import { assetOriginOf, type PeerOrigins } from "./PeerOrigins.js";
import type { PeerDescriptor } from "./peers/PeerDescriptor.js";
import type { Expected, RunRecord } from "./report/RunRecord.js";
import { MANIFEST_PATH, PKG_INDEX_PATH, pkgUriOf } from "./derivedAssets.js";
import { type Chain, expectedRevSum, mustBeControlled } from "./scenarios.js";

export interface ChainRun {
  browser: Browser;
  /** The peer's own origins: the page is always on `page`, the assets where the chain says. */
  origins: PeerOrigins;
  store: AssetStore;
  peer: PeerDescriptor;
  config: BenchConfig;
  rep: number;
  log(line: string): void;
  /** Called just before and just after each measured load (diagnostics sample the machine there). */
  aroundLoad?: (phase: "start" | "end", scenario: string) => void | Promise<void>;
}

/** No step may take longer than this; a peer that hangs is reported, not waited for. */
const STEP_TIMEOUT_MS = 120_000;

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}

async function waitForBench(page: Page): Promise<void> {
  await page.waitForFunction(() => window.bench !== undefined, null, { timeout: 15_000 });
}

function message(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "unknown error";
}

/**
 * Runs the first `stepCount` steps of `chain` for one peer in a fresh browser context (empty HTTP
 * cache, storage and service workers): open the page, let the peer set up (register its worker),
 * then for each step prepare the asset origin, reload, and measure one load.
 */
export async function runChain(run: ChainRun, chain: Chain, stepCount: number, maxAssets = Infinity): Promise<RunRecord[]> {
  const { store, peer, config } = run;
  const assetOrigin = assetOriginOf(run.origins, chain.transport);
  const assets = assetOrigin.assets;
  assets.cachePolicy = chain.policy;
  assets.offline = false;
  await store.reset();
  const paths = store.paths(chain.set).slice(0, maxAssets);
  const urls = paths.map((path) => `${assetOrigin.url}${path}`);
  const records: RunRecord[] = [];
  const context = await run.browser.newContext();
  const pageErrors: string[] = [];
  try {
    const page = await context.newPage();
    page.on("pageerror", (error) => pageErrors.push(message(error)));
    page.on("console", (entry) => {
      if (entry.type() === "error") pageErrors.push(entry.text());
    });
    await page.goto(pageUrl(run.origins.page.url, peer.page, chain, assetOrigin.url));
    await waitForBench(page);
    await withTimeout(page.evaluate(() => window.bench?.setup()), STEP_TIMEOUT_MS, "setup");
    for (let index = 0; index < stepCount; index++) {
      const step = chain.steps[index];
      if (!step) break;
      if (step.prepare === "bump-one") await store.bump(paths[Math.floor(paths.length / 2)] as string);
      if (step.prepare === "origin-down") assets.offline = true;
      await assets.settle();
      const quietAfterMs = await untilBrowserQuiet();
      await page.reload();
      await waitForBench(page);
      if (step.prepare === "offline") await context.setOffline(true);
      assets.takeCounters();
      const request: RunRequest = {
        scenario: step.scenario,
        urls,
        kind: chain.set === "small" ? "json" : chain.set === "large" ? "binary" : "image",
        concurrency: config.concurrency,
        gameLoop: step.gameLoop ? { workMs: config.gameWorkMs, idleMs: config.idleMs } : null,
        ours: oursLoads(chain, paths, assetOrigin.url),
      };
      const expected: Expected = {
        count: urls.length,
        revSum: chain.set === "small" ? expectedRevSum(chain, index) : 0,
        bytes: chain.set === "large" ? store.totalBytes("large") : 0,
      };
      let result: RunResult | null = null;
      let error: string | null = null;
      try {
        await run.aroundLoad?.("start", step.scenario);
        result = (await withTimeout(page.evaluate((r) => window.bench?.run(r), request), STEP_TIMEOUT_MS, step.scenario)) ?? null;
        await run.aroundLoad?.("end", step.scenario);
        if (mustBeControlled(chain, peer) && result && !result.controlled) error = "the page was not controlled by its service worker";
      } catch (caught) {
        error = message(caught);
      }
      if (error === null && result === null) error = pageErrors[0] ?? "no result";
      await context.setOffline(false);
      assets.offline = false;
      await assets.settle();
      records.push({ rep: run.rep, peer: peer.id, scenario: step.scenario, expected, result, origin: assets.takeCounters(), error });
      run.log(`${describe(records[records.length - 1] as RunRecord)} (browser quiet after ${quietAfterMs} ms)`);
      // After a failed step the context is in an unknown state; the rest of the chain would mislead.
      if (error !== null) break;
    }
  } catch (caught) {
    run.log(`  ${peer.id} ${chain.id}: ${message(caught)}${pageErrors.length > 0 ? ` (page: ${pageErrors.slice(0, 3).join("; ")})` : ""}`);
    const failedStep = chain.steps[records.length];
    if (failedStep) {
      records.push({
        rep: run.rep,
        peer: peer.id,
        scenario: failedStep.scenario,
        expected: { count: urls.length, revSum: 0, bytes: 0 },
        result: null,
        origin: null,
        error: message(caught),
      });
    }
  } finally {
    assets.offline = false;
    await context.close();
  }
  return records;
}

/** The peer's page; in the packs chain with the pkg index ours is to read (other pages ignore it). */
function pageUrl(pageOrigin: string, page: string, chain: Chain, assetOrigin: string): string {
  const url = new URL(`${pageOrigin}${page}`);
  // A query of its own, not always set: with a pkg index, ours also checks it for updates at start.
  if (chain.oursLoads === "pkg") url.searchParams.set("pkgIndex", `${assetOrigin}${PKG_INDEX_PATH}`);
  return url.href;
}

function oursLoads(chain: Chain, paths: readonly string[], assetOrigin: string): RunRequest["ours"] {
  if (chain.oursLoads === "pkg") return { pkgUris: paths.map(pkgUriOf) };
  if (chain.oursLoads === "manifest") return { manifestUrl: `${assetOrigin}${MANIFEST_PATH}` };
  return null;
}

function describe(record: RunRecord): string {
  const { result, origin } = record;
  const head = `  rep ${record.rep} ${record.peer.padEnd(20)} ${record.scenario.padEnd(21)}`;
  if (!result) return `${head} ERROR ${record.error ?? ""}`;
  const notes = result.notes && Object.keys(result.notes).length > 0 ? ` ${JSON.stringify(result.notes)}` : "";
  return (
    `${head} ${result.wallMs.toFixed(0).padStart(6)} ms  loaded ${result.loaded}/${record.expected.count}` +
    ` rev ${result.revSum}/${record.expected.revSum}  origin ${origin?.requests ?? "?"} req ${origin?.notModified ?? "?"}×304 ` +
    `${Math.round((origin?.bodyBytes ?? 0) / 1024)} KiB  over33 ${result.frames.framesOver33}${record.error ? ` (${record.error})` : ""}${notes}`
  );
}
