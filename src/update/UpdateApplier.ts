import { AssetError } from "../kernel/AssetError.js";
import type { BatchHandle } from "../core/BatchHandle.js";
import type { BatchOptions } from "../core/options.js";
import type { ReadContext, ReadResult, Source } from "../sources/Source.js";
import { ApplyRun, type ApplyRunDeps } from "./ApplyRun.js";
import { StoreOnlyLoader } from "./StoreOnlyLoader.js";

/** The scheme of an update's batch: `simvx-update://apply-<n>/…` (its manifest, its files, its shell step). */
export const UPDATE_SCHEME = "simvx-update";

const STORE_ONLY = new StoreOnlyLoader();

export interface UpdateApplierDeps extends ApplyRunDeps {
  loadManifest(uri: string, opts: BatchOptions): BatchHandle;
}

/**
 * `applyUpdate()`: a manifest batch over the `simvx-update://` source, so the download is an
 * ordinary `BatchHandle` (progress weighed by bytes, `itemCompleted`, `completed` from `flush()`).
 * Its children are the new build's changed and added pkg files (`simvx-update://apply-<n>/<package>/<path>`),
 * then `…/shell`: the new worker's install and its taking over. The batch completes when the
 * update is ready; it fails with the first error and leaves the running build as it was.
 */
export class UpdateApplier implements Source {
  /** Its reads wait for locks and downloads that bound themselves: no read slot, no stall backstop. */
  readonly schedulesOwnReads = true;
  readonly #deps: UpdateApplierDeps;
  readonly #runs = new Map<string, ApplyRun>();
  #count = 0;

  constructor(deps: UpdateApplierDeps) {
    this.#deps = deps;
  }

  apply(): BatchHandle {
    const id = `apply-${++this.#count}`;
    const run = new ApplyRun(`${UPDATE_SCHEME}://${id}/`, this.#deps);
    this.#runs.set(id, run);
    // In the background: below the game's own loads; no overall timeout (a large update on a slow
    // line may take long; each request still fails when it stalls); the first failure stops it.
    const batch = this.#deps.loadManifest(run.manifestUri, { loader: STORE_ONLY, priority: -1, timeoutMs: 0, failFast: true });
    batch.itemCompleted.connect((child) => run.childEnded(child));
    batch.completed.once(() => {
      run.end();
      this.#runs.delete(id);
    });
    return batch;
  }

  read(uri: string, ctx: ReadContext): Promise<ReadResult> {
    const run = this.#runs.get(new URL(uri).host);
    if (run === undefined) return Promise.reject(new AssetError("NOT_FOUND", uri, { message: `no update is being applied under ${uri}` }));
    return run.read(uri, ctx);
  }
}
