import { readdirSync, readFileSync } from "node:fs";

/** CPU time (ms) per Chromium process kind and thread name, read from /proc (Linux only). */
export type CpuSample = Map<string, number>;

const TICK_MS = 10; // USER_HZ is 100 on Linux.

function read(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return null;
  }
}

function processKind(cmdline: string): string | null {
  // Zygote-forked processes rewrite their command line as one space-separated string.
  const args = cmdline.split(/[\0 ]/);
  if (!args[0]?.includes("chromium") && !args[0]?.includes("chrome")) return null;
  const type = args.find((arg) => arg.startsWith("--type="))?.slice(7);
  if (!type) return "browser";
  const sub = args.find((arg) => arg.startsWith("--utility-sub-type="))?.slice(19);
  return sub ? `${type}:${sub.split(".").pop() ?? sub}` : type;
}

export function sampleChromiumCpu(): CpuSample {
  const sample: CpuSample = new Map();
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    const kind = processKind(read(`/proc/${pid}/cmdline`) ?? "");
    if (!kind) continue;
    let tasks: string[];
    try {
      tasks = readdirSync(`/proc/${pid}/task`);
    } catch {
      // The process ended between the two reads.
      continue;
    }
    for (const tid of tasks) {
      const stat = read(`/proc/${pid}/task/${tid}/stat`);
      if (!stat) continue;
      const close = stat.lastIndexOf(")");
      const name = stat.slice(stat.indexOf("(") + 1, close).replace(/\d+$/, "#");
      const fields = stat.slice(close + 2).split(" ");
      const ticks = Number(fields[11]) + Number(fields[12]);
      const key = `${kind} ${name}`;
      sample.set(key, (sample.get(key) ?? 0) + ticks * TICK_MS);
    }
  }
  return sample;
}

/** What ran between two samples; threads that exited in between are lost, new ones count from zero. */
export function cpuBetween(before: CpuSample, after: CpuSample): CpuSample {
  const delta: CpuSample = new Map();
  for (const [key, ms] of after) {
    const spent = ms - (before.get(key) ?? 0);
    if (spent > 0) delta.set(key, spent);
  }
  return delta;
}
