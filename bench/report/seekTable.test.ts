import { describe, expect, it } from "vitest";
import type { SeekRecord, SeekSample } from "../measureSeek.js";
import { renderSeekTable, summariseSeeks } from "./seekTable.js";

const MiB = 2 ** 20;

function seek(ms: number, rise: number | null, servedFrom: string | null = null, status = 206): SeekSample {
  return { start: 0, ms, status, byteLength: status === 206 ? MiB : 64 * MiB, servedFrom, workerHeapRiseBytes: rise };
}

function record(peer: string, seeks: SeekSample[], error: string | null = null, originRequests = 0): SeekRecord {
  return { rep: 1, peer, fileBytes: 64 * MiB, rangeBytes: MiB, seeks, originRequests, originBodyBytes: 0, error };
}

describe("summariseSeeks", () => {
  it("pools every rep's seeks into a median and a max, with the worker's heap rise and the ratio to the baseline", () => {
    const summaries = summariseSeeks(
      [
        record("plain-fetch", [seek(10, null), seek(20, null), seek(30, null)]),
        record("ours-sw", [seek(30, 2 * MiB, "persistent"), seek(40, 1 * MiB, "persistent"), seek(50, 3 * MiB, "persistent")]),
        record("ours-sw", [seek(60, 4 * MiB, "persistent")], null, 2),
      ],
      ["plain-fetch", "ours-sw"],
      "plain-fetch",
    );
    expect(summaries.map((summary) => summary.peer)).toEqual(["plain-fetch", "ours-sw"]);
    expect(summaries[0]).toMatchObject({ seeks: 3, msMedian: 20, msMax: 30, ratio: 1, heapRiseMedianBytes: null, servedFrom: { "HTTP 206": 3 } });
    expect(summaries[1]).toMatchObject({ reps: 2, seeks: 4, msMedian: 45, msMax: 60, ratio: 2.25, heapRiseMedianBytes: 2.5 * MiB, heapRiseMaxBytes: 4 * MiB, originRequests: 1, servedFrom: { persistent: 4 } });
  });

  it("leaves a read that was not a full 206 out of the times, and gives no ratio against a failed baseline", () => {
    const [plain, ours] = summariseSeeks(
      [record("plain-fetch", [seek(5, null, null, 200)], "bytes=0-1048575: HTTP 200, 67108864 bytes"), record("ours-sw", [seek(40, MiB, "persistent")])],
      ["plain-fetch", "ours-sw"],
      "plain-fetch",
    );
    expect(plain).toMatchObject({ seeks: 0, msMedian: null, originRequests: null, servedFrom: { "HTTP 200": 1 } });
    expect(ours?.ratio).toBeNull();
  });
});

describe("renderSeekTable", () => {
  it("labels the peers and writes MiB with dashes for what a peer did not produce", () => {
    const table = renderSeekTable(summariseSeeks([record("plain-fetch", [seek(12.34, null)]), record("ours-sw", [seek(24.68, 1.5 * MiB, "persistent")])], ["plain-fetch", "ours-sw"], "plain-fetch"), {
      "plain-fetch": "plain fetch",
      "ours-sw": "ours (Service Worker)",
    });
    const lines = table.split("\n");
    expect(lines).toHaveLength(4);
    expect(lines[2]).toBe("| plain fetch | 1 | 12.3 | 12.3 | 1.00× | – | – | 0 | HTTP 206 ×1 | ok |");
    expect(lines[3]).toBe("| ours (Service Worker) | 1 | 24.7 | 24.7 | 2.00× | 1.5 | 1.5 | 0 | persistent ×1 | ok |");
  });
});
