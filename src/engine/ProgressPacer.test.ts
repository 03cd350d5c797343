import { describe, expect, it } from "vitest";
import { ProgressPacer } from "./ProgressPacer.js";

const PACING = { minBytes: 1_000, periodMs: 100 };
const LARGE = 4_000;
type Posted = Array<[number, number | null]>;

describe("ProgressPacer", () => {
  it("posts nothing in the first period, then at most one report per period, the latest held one at the period's end", async () => {
    let clock = 1_000;
    const posted: Posted = [];
    const pacer = new ProgressPacer((loaded, total) => posted.push([loaded, total]), PACING, () => clock);
    for (const [at, loaded] of [[0, 0], [60, 10], [120, 50], [160, 60], [240, 90]] as const) {
      clock = 1_000 + at;
      pacer.report(loaded, LARGE);
    }
    expect(posted).toEqual([[50, LARGE], [90, LARGE]]);
    clock = 1_340; // the period after the report at 240
    pacer.report(95, LARGE);
    expect(posted).toHaveLength(3);
    pacer.report(99, LARGE); // held: its period has not ended
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(posted.at(-1)).toEqual([99, LARGE]);
    pacer.stop();
  });

  it("a body declared smaller than minBytes is never reported, not even when it finishes; an unknown size is", () => {
    let clock = 0;
    const posted: Posted = [];
    const pacer = new ProgressPacer((loaded, total) => posted.push([loaded, total]), PACING, () => clock);
    clock = 500;
    pacer.report(10, PACING.minBytes - 1);
    pacer.finish(PACING.minBytes - 1, PACING.minBytes - 1);
    expect(posted).toEqual([]);
    const unknown = new ProgressPacer((loaded, total) => posted.push([loaded, total]), PACING, () => clock);
    clock = 700;
    unknown.report(10, null);
    expect(posted).toEqual([[10, null]]);
    unknown.stop();
  });

  it("finish sends the final report at once, then nothing more goes", async () => {
    let clock = 0;
    const posted: Posted = [];
    const pacer = new ProgressPacer((loaded, total) => posted.push([loaded, total]), PACING, () => clock);
    pacer.report(1, LARGE);
    pacer.finish(LARGE, LARGE);
    clock = 1_000;
    pacer.report(2, LARGE);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(posted).toEqual([[LARGE, LARGE]]);
  });

  it("nothing goes after stop, not even a held report", async () => {
    let clock = 0;
    const posted: Posted = [];
    const pacer = new ProgressPacer((loaded, total) => posted.push([loaded, total]), PACING, () => clock);
    pacer.report(1, LARGE);
    pacer.stop();
    clock = 300;
    pacer.report(2, LARGE);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(posted).toEqual([]);
  });

  it("a callback that throws does not fail the load it watches", () => {
    const pacer = new ProgressPacer(() => {
      throw new Error("broken bar");
    });
    expect(() => pacer.finish(10, 10)).not.toThrow();
  });
});
