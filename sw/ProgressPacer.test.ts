import { describe, expect, it } from "vitest";
import type { ProgressReport } from "../src/kernel/protocol.js";
import { PROGRESS_MIN_BYTES, PROGRESS_QUIET_MS, ProgressPacer } from "./ProgressPacer.js";

const LARGE = PROGRESS_MIN_BYTES * 4;

describe("ProgressPacer", () => {
  it("posts nothing in the quiet period, then at most one report per period; retry notices at once", async () => {
    let clock = 1_000;
    const posted: ProgressReport[] = [];
    const pacer = new ProgressPacer((report) => posted.push(report), () => clock);
    const notice = { attempt: 1, delayMs: 10, error: { code: "NETWORK" as const, message: "reset", uri: "u" } };
    for (const [at, loaded] of [[0, 0], [60, 10], [120, 50], [160, 60], [240, 90]] as const) {
      clock = 1_000 + at;
      pacer.report(loaded, LARGE);
    }
    pacer.retry(notice);
    expect(posted).toEqual([{ loaded: 50, total: LARGE }, { loaded: 90, total: LARGE }, { loaded: 90, total: LARGE, retry: notice }]);
    // Nothing was held back past the last post.
    await new Promise((resolve) => setTimeout(resolve, PROGRESS_QUIET_MS * 2));
    expect(posted).toHaveLength(3);
    pacer.stop();
  });

  it("a body declared smaller than PROGRESS_MIN_BYTES is never reported; an unknown size is", async () => {
    let clock = 0;
    const posted: ProgressReport[] = [];
    const pacer = new ProgressPacer((report) => posted.push(report), () => clock);
    clock = PROGRESS_QUIET_MS * 2;
    pacer.report(10, PROGRESS_MIN_BYTES - 1);
    expect(posted).toEqual([]);
    pacer.report(10, null);
    expect(posted).toEqual([{ loaded: 10, total: null }]);
    pacer.stop();
  });

  it("nothing goes after stop, not even a held report", async () => {
    let clock = 0;
    const posted: ProgressReport[] = [];
    const pacer = new ProgressPacer((report) => posted.push(report), () => clock);
    pacer.report(1, LARGE);
    pacer.stop();
    clock = PROGRESS_QUIET_MS * 3;
    pacer.report(2, LARGE);
    await new Promise((resolve) => setTimeout(resolve, PROGRESS_QUIET_MS * 2));
    expect(posted).toEqual([]);
  });
});
