// What the harness (Node) and the peer pages (browser) exchange through `window.bench`.
// Types only, so both sides can import it.

/** `image`: the page shows each URL in an `<img>` element instead of fetching it (issue 14). */
export type AssetKind = "json" | "binary" | "image";

export interface RunRequest {
  scenario: string;
  /** Absolute URLs: on the page's own origin, or on the HTTP/2 origin (across origins) in the HTTP/2 scenario. */
  urls: string[];
  kind: AssetKind;
  /** Loads in flight at once, for the peers that take a limit (plain fetch, pool of 6; ours' `maxWorkers`). */
  concurrency: number;
  /**
   * A game loop: every animation frame burns `workMs` of simulated game work. `null`: the loop
   * only records frames. Either way ours' `flush()` runs in the loop (autoFlush off, one flush
   * per animation frame as autoFlush would do), so its cost per frame can be timed.
   */
  gameLoop: { workMs: number; idleMs: number } | null;
  /**
   * What ours loads instead of `urls` (the same files; every other peer loads `urls`): their
   * `pkg://` uris (the page was opened with `?pkgIndex=`), or a manifest listing them with integrity.
   */
  ours: { pkgUris: string[] } | { manifestUrl: string } | null;
}

/** What a peer's loader did; the page adds the measurements around it. */
export interface LoadOutcome {
  loaded: number;
  failed: number;
  /** Sum of the `rev` field of every loaded JSON asset (tells a stale copy from a fresh one). */
  revSum: number;
  /** Bytes of every loaded binary asset. */
  bytes: number;
  /** Peer-specific counts (e.g. ours' `servedFrom`), kept in the JSON for diagnosis. */
  notes?: Record<string, number>;
}

export interface FrameStats {
  frames: number;
  worstFrameMs: number;
  framesOver33: number;
}

export interface RunResult extends LoadOutcome {
  wallMs: number;
  longTaskMs: number;
  longTaskCount: number;
  frames: FrameStats;
  /** Frames of the game loop with no loading, just before it (null without a game loop). */
  idleFrames: FrameStats | null;
  /** Largest `usedJSHeapSize` seen during the run (page heap only), or null where unavailable. */
  peakHeapBytes: number | null;
  /** Duration of each `flush()` that finished at least one handle (ours only). */
  flushSamplesMs: number[] | null;
  /** Most handles one `flush()` finished (ours only). */
  flushMaxFinished: number | null;
  /** Whether a Service Worker controlled the page. */
  controlled: boolean;
}

/** One peer page's loader. `setup` runs once per fresh browser context, before the first run. */
export interface PeerPage {
  setup(): Promise<void>;
  load(request: RunRequest, frameHook: FrameHookSlot): Promise<LoadOutcome>;
}

/** A peer may install a per-frame callback into the game loop (ours: a timed `flush()`). */
export interface FrameHookSlot {
  set(hook: (() => number) | null): void;
}

export interface BenchGlobal {
  peer: string;
  setup(): Promise<void>;
  run(request: RunRequest): Promise<RunResult>;
}

declare global {
  interface Window {
    bench?: BenchGlobal;
  }
}
