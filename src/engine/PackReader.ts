import { AssetError } from "../kernel/AssetError.js";
import { untilCancelled } from "../kernel/abort.js";
import type { PackSlice } from "../kernel/protocol.js";
import type { ProgressCallback } from "./ProgressPacer.js";
import type { BodyObserver } from "./readBody.js";

/** One file wanted from a pack: its slice, and the caller's signal and progress. */
export interface PackMember {
  slice: PackSlice;
  signal: AbortSignal;
  onProgress: ProgressCallback;
  /** The member's stall limit: the pack request watches for the shortest of its members'. */
  stallTimeoutMs?: number;
}

/** One request for a pack: GET `url` (with `range`, inclusive bytes, when not the whole pack). */
export interface PackRequest {
  url: string;
  range: { first: number; last: number } | null;
  signal: AbortSignal;
  onProgress: ProgressCallback;
  /** The body as it arrives, when its length is declared: files are cut from it as they come. */
  onReceived: BodyObserver;
  stallTimeoutMs: number | undefined;
}

/** What the engine does for a pack; resolves with the whole body. */
export type PackFetch = (request: PackRequest) => Promise<Uint8Array>;

/** Slices of one pack closer than this are fetched in one range: a gap costs less than a request. */
const MERGE_GAP_BYTES = 64 * 1024;
/**
 * The reads of one batch arrive together in the worker, but over several tasks in a page, which
 * sets a big batch up in time slices and looks each read up in the store first. The window closes
 * once no read has come for `GATHER_QUIET_MS` and no request that may still read a pack is looking
 * in the store (`expect`), or `GATHER_MAX_MS` after it opened. (A window of time alone, 4, 12 and
 * then 25 ms quiet, now and then let the built demo's first visit ask its pack twice, in Chromium
 * and Firefox, when store look-ups spread a batch wider.)
 */
const GATHER_QUIET_MS = 10;
const GATHER_MAX_MS = 500;

interface Waiting {
  member: PackMember;
  resolve(bytes: Uint8Array | null): void;
}

/**
 * Fetches the files that requests of one task want from the same pack together: by byte ranges of
 * the pack, merged where the gaps are small, or the whole pack. A file alone in its task, and the
 * files of a pack that failed, get `null`: the caller fetches them through their own URL. A server
 * that ignores `Range` (answers 200 with the whole pack) still works. Nothing is read outside the
 * bytes that came back; the caller checks each file's integrity.
 */
export class PackReader {
  private waiting: Waiting[] = [];
  private scheduled = false;
  private gatherStartedAt = 0;
  private lastArrivalAt = 0;
  /** Requests looking in the store that may read a pack next. */
  private expected = 0;
  /** Ranges being fetched, by pack URL: a later read that lies in one joins it instead of asking again. */
  private readonly inflight = new Map<string, Set<MergedRange>>();
  /** What happened to the packs: for tests and the benchmark's figures. */
  readonly counts = { requests: 0, rangeIgnored: 0, failed: 0 };

  constructor(private readonly fetchPack: PackFetch) {}

  /**
   * A request that may soon read a pack (it is looking in the store first): an open window waits
   * for it. Call the returned function once it has read, or will not; more calls do nothing.
   */
  expect(): () => void {
    this.expected += 1;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.expected -= 1;
    };
  }

  /** The file's bytes from its pack, or `null` (fetch it alone); rejects only with CANCELLED. */
  read(member: PackMember): Promise<Uint8Array | null> {
    if (member.signal.aborted) return Promise.reject(new AssetError("CANCELLED", member.slice.url));
    const read = new Promise<Uint8Array | null>((resolve) => {
      this.waiting.push({ member, resolve });
      this.lastArrivalAt = performance.now();
      if (this.scheduled) return;
      this.scheduled = true;
      this.gatherStartedAt = this.lastArrivalAt;
      setTimeout(() => this.flush(), GATHER_QUIET_MS);
    });
    return untilCancelled(read, member.signal, member.slice.url);
  }

  private flush(): void {
    const now = performance.now();
    const quietFor = now - this.lastArrivalAt;
    if ((quietFor < GATHER_QUIET_MS || this.expected > 0) && now - this.gatherStartedAt < GATHER_MAX_MS) {
      setTimeout(() => this.flush(), Math.max(GATHER_QUIET_MS - quietFor, 1));
      return;
    }
    const waiting = this.waiting;
    this.waiting = [];
    this.scheduled = false;
    const byPack = new Map<string, Waiting[]>();
    for (const item of waiting) {
      const group = byPack.get(item.member.slice.url);
      if (group === undefined) byPack.set(item.member.slice.url, [item]);
      else group.push(item);
    }
    for (const [url, all] of byPack) {
      // A read whose slice lies in a range already on its way (a batch the page set up over more
      // tasks than one window) is cut from that range's bytes.
      const group = all.filter((item) => !this.joinInflight(url, item));
      if (group.length === 0) continue;
      if (group.length === 1 && all.length === 1) group[0]!.resolve(null);
      else for (const range of mergedRanges(group)) void this.fetchRange(range);
    }
  }

  private joinInflight(url: string, item: Waiting): boolean {
    const { offset, length } = item.member.slice;
    for (const range of this.inflight.get(url) ?? []) {
      if (range.first <= offset && offset + length <= range.end) {
        range.items.push(item);
        return true;
      }
    }
    return false;
  }

  private async fetchRange(range: MergedRange): Promise<void> {
    const { url } = range.items[0]!.member.slice;
    let ranges = this.inflight.get(url);
    if (ranges === undefined) this.inflight.set(url, (ranges = new Set()));
    ranges.add(range);
    try {
      await this.fetchAndCut(range);
    } finally {
      ranges.delete(range);
      if (ranges.size === 0) this.inflight.delete(url);
    }
  }

  private async fetchAndCut(range: MergedRange): Promise<void> {
    const { items, first, end } = range;
    const { url, packBytes } = items[0]!.member.slice;
    const whole = first === 0 && end === packBytes;
    // The pack request serves every file in it: it stops only when none of them is wanted.
    const controller = new AbortController();
    const wanted = new Set(items);
    for (const item of items) {
      item.member.signal.addEventListener(
        "abort",
        () => {
          wanted.delete(item);
          if (wanted.size === 0) controller.abort();
        },
        { once: true },
      );
    }
    this.counts.requests += 1;
    const limits = items.map((item) => item.member.stallTimeoutMs).filter((ms): ms is number => ms !== undefined && ms > 0);
    const stallTimeoutMs = limits.length === 0 ? undefined : Math.min(...limits);
    // Files are handed on as their last byte arrives, in pack order: their checks, stores and
    // answers then overlap the rest of the download instead of following it.
    const byEnd = [...items].sort((a, b) => a.member.slice.offset + a.member.slice.length - (b.member.slice.offset + b.member.slice.length));
    let handedOn = 0;
    const early = new Set<Waiting>();
    const onReceived: BodyObserver = (received, declaredBytes) => {
      // Where the bytes start in the pack: the range asked for, or the whole pack (Range ignored).
      const base = declaredBytes === end - first ? first : declaredBytes === packBytes ? 0 : null;
      if (base === null) return;
      while (handedOn < byEnd.length) {
        const item = byEnd[handedOn]!;
        const start = item.member.slice.offset - base;
        if (start + item.member.slice.length > received.length) break;
        item.resolve(received.slice(start, start + item.member.slice.length));
        early.add(item);
        handedOn += 1;
      }
    };
    let body: Uint8Array;
    try {
      body = await this.fetchPack({
        url,
        range: whole ? null : { first, last: end - 1 },
        signal: controller.signal,
        onProgress: (loaded) => {
          for (const { member } of items) {
            const own = Math.min(Math.max(loaded - (member.slice.offset - first), 0), member.slice.length);
            member.onProgress(own, member.slice.length);
          }
        },
        onReceived,
        stallTimeoutMs,
      });
    } catch {
      this.counts.failed += 1;
      for (const item of range.items) item.resolve(null);
      return;
    }
    // 206 with the range, or 200 with the whole pack from a server that ignores Range. Any other
    // length means the index and the server disagree: the files go through their own URLs.
    let base: number;
    if (body.length === end - first) base = first;
    else if (body.length === packBytes) {
      base = 0;
      if (!whole) this.counts.rangeIgnored += 1;
    } else {
      this.counts.failed += 1;
      for (const item of range.items) item.resolve(null);
      return;
    }
    for (const item of range.items) {
      if (early.has(item)) continue;
      const { member, resolve } = item;
      const start = member.slice.offset - base;
      // A copy of its own: each file is stored, answered and transferred apart from the others.
      resolve(body.slice(start, start + member.slice.length));
    }
  }
}

interface MergedRange {
  items: Waiting[];
  /** First byte, inclusive. */
  first: number;
  /** Last byte + 1. */
  end: number;
}

/** The group's slices in pack order, joined into ranges where the gap between them is small. */
function mergedRanges(group: Waiting[]): MergedRange[] {
  const sorted = [...group].sort((a, b) => a.member.slice.offset - b.member.slice.offset);
  const ranges: MergedRange[] = [];
  for (const item of sorted) {
    const { offset, length } = item.member.slice;
    const last = ranges.at(-1);
    if (last !== undefined && offset - last.end <= MERGE_GAP_BYTES) {
      last.items.push(item);
      last.end = Math.max(last.end, offset + length);
    } else {
      ranges.push({ items: [item], first: offset, end: offset + length });
    }
  }
  return ranges;
}
