/**
 * Self time of JavaScript functions per thread, from a Chromium trace recorded with the
 * `disabled-by-default-v8.cpu_profiler` category (ProfileChunk events carry the sampled stacks).
 */
interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  id?: string;
  args?: {
    name?: string;
    data?: {
      cpuProfile?: { nodes?: ProfileNode[]; samples?: number[] };
      timeDeltas?: number[];
    };
  };
}

interface ProfileNode {
  id: number;
  parent?: number;
  callFrame: { functionName: string; url?: string; lineNumber?: number; columnNumber?: number };
}

export interface ThreadProfile {
  thread: string;
  totalMs: number;
  /** [function at url:line, self ms], most expensive first. */
  functions: [string, number][];
  /** [function at url:line, ms with what it called], most expensive first: where a cost starts. */
  inclusive: [string, number][];
}

export function profileByThread(events: readonly TraceEvent[]): ThreadProfile[] {
  const threadNames = new Map<string, string>();
  for (const event of events) {
    if (event.ph === "M" && event.name === "thread_name") threadNames.set(`${event.pid}:${event.tid}`, `${event.args?.name ?? "?"} (pid ${event.pid})`);
  }
  // Chunks are written by the profiler's own thread; the Profile event that opens them names the
  // sampled thread.
  const profiledThread = new Map<string, string>();
  for (const event of events) {
    if (event.name === "Profile") profiledThread.set(`${event.pid}:${event.id ?? ""}`, threadNames.get(`${event.pid}:${event.tid}`) ?? `${event.pid}:${event.tid}`);
  }
  // Nodes accumulate across a profile's chunks; samples refer to them by id.
  const frames = new Map<string, Map<number, string>>();
  const parents = new Map<string, Map<number, number>>();
  const selfMs = new Map<string, Map<string, number>>();
  const inclusiveMs = new Map<string, Map<string, number>>();
  for (const event of events) {
    if (event.name !== "ProfileChunk") continue;
    const profileKey = `${event.pid}:${event.id ?? ""}`;
    const thread = profiledThread.get(profileKey) ?? `${event.pid}:${event.tid}`;
    let nodes = frames.get(profileKey);
    if (!nodes) frames.set(profileKey, (nodes = new Map()));
    let parentOf = parents.get(profileKey);
    if (!parentOf) parents.set(profileKey, (parentOf = new Map()));
    const data = event.args?.data;
    for (const node of data?.cpuProfile?.nodes ?? []) {
      if (node.parent !== undefined) parentOf.set(node.id, node.parent);
      const { functionName, url = "", lineNumber = -1, columnNumber = -1 } = node.callFrame;
      const where = url ? ` ${url.split("/").pop() ?? url}:${lineNumber + 1}:${columnNumber + 1}` : "";
      nodes.set(node.id, `${functionName || "(anonymous)"}${where}`);
    }
    const samples = data?.cpuProfile?.samples ?? [];
    const deltas = data?.timeDeltas ?? [];
    let perThread = selfMs.get(thread);
    if (!perThread) selfMs.set(thread, (perThread = new Map()));
    let withCallees = inclusiveMs.get(thread);
    if (!withCallees) inclusiveMs.set(thread, (withCallees = new Map()));
    samples.forEach((id, index) => {
      const frame = nodes.get(id) ?? `node ${id}`;
      const ms = (deltas[index + 1] ?? 0) / 1000;
      perThread.set(frame, (perThread.get(frame) ?? 0) + ms);
      // A recursive function counts once per sample.
      const onStack = new Set<string>();
      for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) onStack.add(nodes.get(at) ?? `node ${at}`);
      for (const caller of onStack) withCallees.set(caller, (withCallees.get(caller) ?? 0) + ms);
    });
  }
  const byCost = (entries: Iterable<[string, number]>): [string, number][] => [...entries].filter(([frame]) => !frame.startsWith("(idle)") && !frame.startsWith("(root)")).sort((a, b) => b[1] - a[1]);
  return [...selfMs].map(([thread, functions]) => {
    const sorted = byCost(functions);
    return { thread, totalMs: sorted.reduce((sum, [, ms]) => sum + ms, 0), functions: sorted, inclusive: byCost(inclusiveMs.get(thread) ?? []) };
  });
}
