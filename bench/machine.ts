import { cpus, release, totalmem, type } from "node:os";
import type { MachineInfo } from "./report/readmeSection";

export function describeThisMachine(browserVersion: string): MachineInfo {
  const processors = cpus();
  return {
    cpu: processors[0]?.model.trim() ?? "unknown CPU",
    cores: processors.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${type()} ${release()}`,
    node: process.versions.node,
    browser: `Chromium ${browserVersion}`,
  };
}
