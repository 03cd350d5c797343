import type { BenchConfig } from "../config.js";
import type { PeerDescriptor } from "../peers/PeerDescriptor.js";
import type { ScenarioId } from "../scenarios.js";
import { aggregate, type Summary } from "./aggregate.js";
import { describeMachine, type MachineInfo, renderReadmeSection } from "./readmeSection.js";
import type { RunRecord } from "./RunRecord.js";
import { renderSvg } from "./svg.js";
import { renderExtrasTable, renderTable } from "./table.js";
import { evaluateTargets, renderTargets, type TargetCheck } from "./targets.js";

export interface ReportInput {
  records: readonly RunRecord[];
  peers: readonly PeerDescriptor[];
  scenarios: readonly ScenarioId[];
  config: BenchConfig;
  machine: MachineInfo;
  command: string;
  date: Date;
  durationMs: number;
}

export interface Report {
  summaries: Summary[];
  targets: TargetCheck[];
  /** Table, extras and targets, as printed on stdout. */
  text: string;
  json: string;
  svg: string;
  readmeSection: string;
}

/** Everything a run writes, from its records. Pure: the caller does the writing. */
export function buildReport(input: ReportInput): Report {
  const labels = Object.fromEntries(input.peers.map((peer) => [peer.id, peer.label]));
  const baseline = input.peers.find((peer) => peer.isBaseline)?.id ?? input.peers[0]?.id ?? "";
  const summaries = aggregate(input.records, input.peers.map((peer) => peer.id), input.scenarios, baseline);
  const targets = evaluateTargets(summaries, {
    ours: input.peers.filter((peer) => peer.isOurs).map((peer) => peer.id),
    throughWorker: input.peers.filter((peer) => peer.throughWorker).map((peer) => peer.id),
    cacheFirst: "workbox-cache-first",
  });
  const table = renderTable(summaries, labels);
  const extras = renderExtrasTable(summaries, labels);
  const targetTable = renderTargets(targets, labels);
  const date = input.date.toISOString().slice(0, 10);
  const svg = renderSvg(summaries, {
    peers: input.peers.map((peer) => ({ id: peer.id, label: peer.label, colour: peer.colour })),
    scenarios: input.scenarios,
    subtitle: [`${input.config.reps} repetition${input.config.reps === 1 ? "" : "s"} per peer, ${date}: ${input.command}`, describeMachine(input.machine)],
  });
  const readmeSection = renderReadmeSection({
    machine: input.machine,
    command: input.command,
    date,
    reps: input.config.reps,
    concurrency: input.config.concurrency,
    gameWorkMs: input.config.gameWorkMs,
    durationMs: input.durationMs,
    assets: input.config.assets,
    table,
    extras,
    targets: targetTable,
    chartPath: "bench/results/latest.svg",
  });
  const json = JSON.stringify(
    {
      generatedAt: input.date.toISOString(),
      command: input.command,
      durationMs: Math.round(input.durationMs),
      machine: input.machine,
      config: input.config,
      peers: input.peers,
      summaries,
      targets,
      records: input.records,
    },
    // Timer values carry float noise (0.09999999403953552); microseconds are plenty.
    (_key, value: unknown) => (typeof value === "number" && !Number.isInteger(value) ? Math.round(value * 1000) / 1000 : value),
    2,
  );
  return { summaries, targets, text: [table, "", extras, "", targetTable, ""].join("\n"), json: `${json}\n`, svg, readmeSection };
}
