import { cpus, loadavg, release, totalmem, type } from "node:os";
import type { MachineInfo } from "./report/readmeSection.js";

/** Call at the end of the run; `loadAtStart` is `os.loadavg()[0]` taken when it began. */
export function describeThisMachine(browserVersion: string, loadAtStart: number): MachineInfo {
  const processors = cpus();
  return {
    cpu: processors[0]?.model.trim() ?? "unknown CPU",
    cores: processors.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${type()} ${release()}`,
    node: process.versions.node,
    browser: `Chromium ${browserVersion}`,
    loadAverage: { start: loadAtStart, end: loadavg()[0] ?? 0 },
  };
}
