import type { AssetSetName } from "./AssetStore.js";
import type { CachePolicy } from "./AssetResponder.js";
import type { PeerDescriptor } from "./peers/PeerDescriptor.js";

export const SCENARIO_IDS = [
  "cold-many-small",
  "cold-many-small-h2",
  "cold-few-large",
  "warm",
  "revalidate-unchanged",
  "changed-one",
  "offline",
  "game-loop",
  "origin-down",
  "cold-pkg-packs",
  "cold-manifest-integrity",
  "revalidate-manifest-integrity",
  "changed-one-manifest-integrity",
  "cold-img",
  "warm-img",
  "seek-64mib",
] as const;
export type ScenarioId = (typeof SCENARIO_IDS)[number];

/**
 * Issue 14's seek figure: 1 MiB ranges of a 64 MiB stored file, timed, with the worker's heap
 * sampled over CDP. Not a chain's step (`measureSeek.ts`), and opt-in: it stores 64 MiB per peer.
 */
export const SEEK_SCENARIO = "seek-64mib" satisfies ScenarioId;

/** What `npm run bench` runs unless `--scenarios` says otherwise: all but the opt-in origin-down and seek. */
export const DEFAULT_SCENARIOS: readonly ScenarioId[] = SCENARIO_IDS.filter((id) => id !== "origin-down" && id !== SEEK_SCENARIO);

export const SCENARIO_LABELS: Record<ScenarioId, string> = {
  "cold-many-small": "cold many-small, HTTP/1.1",
  "cold-many-small-h2": "cold many-small, HTTP/2",
  "cold-few-large": "cold few-large",
  warm: "warm (reload, fresh)",
  "revalidate-unchanged": "revalidate all, unchanged",
  "changed-one": "changed one of many",
  offline: "offline reload",
  "game-loop": "cold load in game loop",
  "origin-down": "origin unreachable",
  "cold-pkg-packs": "cold many-small, pkg:// from packs",
  "cold-manifest-integrity": "cold many-small, manifest with integrity",
  "revalidate-manifest-integrity": "revalidate manifest with integrity, unchanged",
  "changed-one-manifest-integrity": "manifest with integrity, changed one",
  "cold-img": "cold <img> elements",
  "warm-img": "warm <img> elements (reload, fresh)",
  "seek-64mib": "seek in a 64 MiB stored file",
};

/**
 * What a step does to the world. `bump-one`: publish a new revision of one asset before the
 * reload. `offline`: after the reload, take the browser offline (page and service workers), as a
 * game started from a precached shell with no network. `origin-down`: the origin drops every
 * asset connection while the browser believes it is online (a server or CDN outage).
 */
export type StepPreparation = "none" | "bump-one" | "offline" | "origin-down";

export interface Step {
  scenario: ScenarioId;
  prepare: StepPreparation;
  gameLoop: boolean;
}

/**
 * Steps that share one fresh browser context, in order: each step reloads the page, so later steps
 * see what earlier ones cached. The origin's cache policy holds for the whole chain (it is stamped
 * on the responses the caches keep).
 */
/**
 * How ours loads the chain's assets; every other peer fetches the same files by their URLs, one by
 * one. `urls`: `loadGroup` of the URLs. `pkg`: `loadGroup` of the same files as `pkg://` uris, from
 * the packs of a pkg index the origin serves (`derivedAssets.ts`). `manifest`: `loadManifest` of a
 * manifest listing the URLs with their `integrity`.
 */
export type OursLoads = "urls" | "pkg" | "manifest";

export interface Chain {
  id: string;
  /** Default `urls`. */
  oursLoads?: OursLoads;
  set: AssetSetName;
  policy: CachePolicy;
  /**
   * Where the assets come from: `http1.1`, the page's own origin; `http2`, a second origin on
   * HTTP/2 over TLS, fetched across origins (the page stays on its http://127.0.0.1 origin, a
   * secure context, so service workers still run). Every peer is given the same absolute URLs.
   */
  transport: Transport;
  steps: Step[];
  /**
   * The peers the chain means something for (ids), all when omitted. Issue 14's `<img>` chain is
   * for pages whose own element requests a worker may answer; a loader of its own (PixiJS, a
   * pool of fetches) or ours without a worker would only repeat plain fetch's row.
   */
  peers?: readonly string[];
}

export type Transport = "http1.1" | "http2";

const step = (scenario: ScenarioId, prepare: StepPreparation = "none", gameLoop = false): Step => ({ scenario, prepare, gameLoop });

export const CHAINS: readonly Chain[] = [
  // Assets labelled fresh for an hour: a second visit need not ask the origin at all.
  { id: "fresh", set: "small", policy: "max-age", transport: "http1.1", steps: [step("cold-many-small"), step("warm")] },
  // The same cold load from an HTTP/2 origin: one multiplexed connection instead of six.
  { id: "fresh-h2", set: "small", policy: "max-age", transport: "http2", steps: [step("cold-many-small-h2")] },
  // Assets labelled `no-cache`: every later visit must revalidate; the cold load runs in the game loop.
  {
    id: "revalidate",
    set: "small",
    policy: "no-cache",
    transport: "http1.1",
    steps: [step("game-loop", "none", true), step("revalidate-unchanged"), step("changed-one", "bump-one"), step("offline", "offline"), step("origin-down", "origin-down")],
  },
  { id: "large", set: "large", policy: "no-cache", transport: "http1.1", steps: [step("cold-few-large")] },
  // Issue 15: ours loads the small set from packs (one request for the pack, one for the index).
  { id: "packs", set: "small", policy: "no-cache", transport: "http1.1", oursLoads: "pkg", steps: [step("cold-pkg-packs")] },
  // Issue 15: a manifest whose entries carry integrity; unchanged entries need no request of their own.
  {
    id: "manifest",
    set: "small",
    policy: "no-cache",
    transport: "http1.1",
    oursLoads: "manifest",
    steps: [step("cold-manifest-integrity"), step("revalidate-manifest-integrity"), step("changed-one-manifest-integrity", "bump-one")],
  },
  // Issue 14: the page inserts an `<img>` per file and waits for every `load`. Ours' worker
  // intercepts the image folder and answers from its store; plain fetch's page has only the
  // browser's HTTP cache, Workbox's its Cache Storage. The warm reload is where they compete.
  {
    id: "img",
    set: "image",
    policy: "max-age",
    transport: "http1.1",
    peers: ["plain-fetch", "workbox-cache-first", "workbox-swr", "ours-sw"],
    steps: [step("cold-img"), step("warm-img")],
  },
];

export function chainAppliesTo(chain: Chain, peerId: string): boolean {
  return chain.peers === undefined || chain.peers.includes(peerId);
}

/**
 * Whether the step means nothing unless a service worker controls the page. Ours reaches its
 * worker by messages, so for its own loads an active worker is enough; an `<img>` reaches it only
 * through the page's fetches, which a controlling worker sees.
 */
export function mustBeControlled(chain: Chain, peer: Pick<PeerDescriptor, "needsController" | "throughWorker">): boolean {
  return peer.needsController || (chain.set === "image" && peer.throughWorker === true);
}

/** The revision sum a fresh load must see after the chain's steps up to and including `index`. */
export function expectedRevSum(chain: Chain, index: number): number {
  return chain.steps.slice(0, index + 1).filter((s) => s.prepare === "bump-one").length;
}
