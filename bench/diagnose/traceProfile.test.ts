import { describe, expect, it } from "vitest";
import { profileByThread } from "./traceProfile.js";

const frame = (functionName: string, url?: string, lineNumber?: number) => ({ functionName, ...(url ? { url, lineNumber, columnNumber: 0 } : {}) });

describe("profileByThread", () => {
  it("charges each sample's time to its function, on the thread the profile names, across chunks", () => {
    const events = [
      { name: "thread_name", ph: "M", pid: 1, tid: 10, args: { name: "ServiceWorker thread" } },
      { name: "thread_name", ph: "M", pid: 1, tid: 99, args: { name: "v8:ProfEvntProc" } },
      { name: "Profile", ph: "P", pid: 1, tid: 10, id: "0x1" },
      {
        name: "ProfileChunk",
        ph: "P",
        pid: 1,
        tid: 99,
        id: "0x1",
        args: {
          data: {
            cpuProfile: { nodes: [{ id: 1, callFrame: frame("(root)") }, { id: 2, parent: 1, callFrame: frame("put", "http://o/sw.js", 4) }], samples: [2, 2] },
            timeDeltas: [0, 3000],
          },
        },
      },
      {
        name: "ProfileChunk",
        ph: "P",
        pid: 1,
        tid: 99,
        id: "0x1",
        args: { data: { cpuProfile: { nodes: [{ id: 3, parent: 1, callFrame: frame("(idle)") }], samples: [2, 3, 2] }, timeDeltas: [1000, 5000, 2000] } },
      },
    ];
    const [thread, ...others] = profileByThread(events);
    expect(others).toEqual([]);
    expect(thread?.thread).toBe("ServiceWorker thread (pid 1)");
    // A sample lasts until the next one: put 3 ms + 5 ms, idle 2 ms (left out), the last put unknown.
    expect(thread?.functions).toEqual([["put sw.js:5:1", 8]]);
    expect(thread?.totalMs).toBe(8);
    // put's caller is the root only, which is left out like idle.
    expect(thread?.inclusive).toEqual([["put sw.js:5:1", 8]]);
  });

  it("charges a sample to every function on its stack once, recursion included", () => {
    const nodes = [
      { id: 1, callFrame: frame("(root)") },
      { id: 2, parent: 1, callFrame: frame("load", "http://o/a.js", 0) },
      { id: 3, parent: 2, callFrame: frame("walk", "http://o/a.js", 9) },
      { id: 4, parent: 3, callFrame: frame("walk", "http://o/a.js", 9) },
    ];
    const events = [
      { name: "Profile", ph: "P", pid: 1, tid: 10, id: "0x1" },
      { name: "ProfileChunk", ph: "P", pid: 1, tid: 10, id: "0x1", args: { data: { cpuProfile: { nodes, samples: [4, 2, 4] }, timeDeltas: [0, 4000, 1000] } } },
    ];
    const [thread] = profileByThread(events);
    expect(thread?.functions).toEqual([["walk a.js:10:1", 4], ["load a.js:1:1", 1]]);
    expect(thread?.inclusive).toEqual([["load a.js:1:1", 5], ["walk a.js:10:1", 4]]);
  });
});
