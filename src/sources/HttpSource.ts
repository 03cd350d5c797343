import { AssetError } from "../kernel/AssetError.js";
import type { HttpRequest, RetryNotice, RevalidateMode } from "../kernel/protocol.js";
import type { HttpBackend } from "../kernel/HttpBackend.js";
import { throwIfCancelled } from "../kernel/abort.js";
import type { ReadContext, ReadResult, Source } from "./Source.js";

/**
 * `http(s)://…`: bytes through the HTTP backend (the Service Worker's fetch engine, or the same
 * engine in the page), with ETag / Last-Modified revalidation and a persistent cache behind it.
 * The version hint is the ETag, else the Last-Modified date.
 */
export class HttpSource implements Source {
  // Gating HTTP reads in the page at `maxWorkers` cost the many-small load a third of its time
  // (issue 10): the browser schedules requests per host better than a page-side pool can.
  readonly schedulesOwnReads = true;
  readonly checksIntegrity = true;

  /** @param revalidate how a stale copy is checked: a server-wide HTTP setting, so it travels with the source. */
  constructor(
    private readonly backend: HttpBackend,
    private readonly revalidate: RevalidateMode = "conditional-get",
  ) {}

  async read(uri: string, ctx: ReadContext): Promise<ReadResult> {
    throwIfCancelled(ctx.signal, uri);
    const request: HttpRequest = {
      url: uri,
      knownVersion: ctx.knownVersion,
      cache: ctx.cache !== false,
      revalidate: this.revalidate,
      ...(ctx.integrity === undefined ? {} : { integrity: ctx.integrity }),
      ...(ctx.maxBytes === undefined ? {} : { maxBytes: ctx.maxBytes }),
      ...(ctx.stallTimeoutMs === undefined ? {} : { stallTimeoutMs: ctx.stallTimeoutMs }),
      ...(ctx.retries === undefined ? {} : { retries: ctx.retries }),
      ...(ctx.priority === undefined || ctx.priority === 0 ? {} : { priority: ctx.priority }),
    };
    try {
      const onRetry = ctx.onRetry;
      const outcome = await this.backend.fetch(request, {
        signal: ctx.signal,
        onProgress: ctx.onProgress,
        ...(onRetry ? { onRetry: (notice: RetryNotice) => onRetry(notice.attempt, notice.delayMs, AssetError.fromWire(notice.error)) } : {}),
      });
      return outcome;
    } catch (error) {
      throw AssetError.is(error) ? error : AssetError.from(error, uri, "NETWORK");
    }
  }

  /** The URL itself: the page's own request for it goes through the asset worker too (intercepted, or held by its store). */
  urlOf(uri: string): string {
    return uri;
  }

  invalidateCache(uri: string): Promise<void> {
    return this.backend.invalidate(uri);
  }

  clearCache(): Promise<void> {
    return this.backend.clear();
  }
}
