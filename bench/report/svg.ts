import { SCENARIO_LABELS, type ScenarioId } from "../scenarios";
import type { Summary } from "./aggregate";

export interface ChartPeer {
  id: string;
  label: string;
}

export interface ChartOptions {
  peers: readonly ChartPeer[];
  scenarios: readonly ScenarioId[];
  subtitle: string;
}

// Okabe–Ito colours (distinguishable with colour-blindness), baseline in grey.
const PALETTE = ["#8c8c8c", "#E69F00", "#CC79A7", "#009E73", "#0072B2", "#56B4E9", "#D55E00", "#000000"];
const NICE_TICKS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500];

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function n(value: number): string {
  return Number(value.toFixed(1)).toString();
}

/** Log-scale domain covering every ratio and 0.5×–2× at least, snapped to the tick values. */
export function ratioDomain(ratios: readonly number[]): [number, number] {
  const positive = ratios.filter((value) => value > 0 && Number.isFinite(value));
  const low = Math.min(0.5, ...positive);
  const high = Math.max(2, ...positive);
  const lo = [...NICE_TICKS].reverse().find((tick) => tick <= low) ?? NICE_TICKS[0] as number;
  const hi = NICE_TICKS.find((tick) => tick >= high) ?? NICE_TICKS[NICE_TICKS.length - 1] as number;
  return [lo, hi];
}

/**
 * Grouped bars, one group per scenario and one bar per peer: the peer's median wall time over
 * plain fetch's, on a log scale around 1×. A peer whose loads failed, served stale content or
 * errored gets a label instead of a bar, so a fast failure never looks like a win.
 */
export function renderSvg(summaries: readonly Summary[], options: ChartOptions): string {
  const width = 980;
  const height = 460;
  const margin = { left: 64, right: 16, top: 56, bottom: 120 };
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const scenarios = options.scenarios.filter((scenario) => summaries.some((summary) => summary.scenario === scenario));
  const ratios = summaries.flatMap((summary) => (summary.wallRatio !== null && summary.outcome === "ok" ? [summary.wallRatio] : []));
  const [lo, hi] = ratioDomain(ratios);
  const y = (value: number): number => margin.top + plotHeight * (1 - (Math.log(value) - Math.log(lo)) / (Math.log(hi) - Math.log(lo)));
  const clampY = (value: number): number => y(Math.min(hi, Math.max(lo, value)));
  const groupWidth = plotWidth / Math.max(1, scenarios.length);
  const barWidth = Math.min(22, (groupWidth * 0.8) / Math.max(1, options.peers.length));
  const colour = (index: number): string => PALETTE[index % PALETTE.length] as string;

  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12">`);
  parts.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  parts.push(`<text x="${margin.left}" y="22" font-size="15" font-weight="600">Wall time relative to plain fetch (median; log scale; below 1× is faster)</text>`);
  parts.push(`<text x="${margin.left}" y="40" fill="#555">${escapeXml(options.subtitle)}</text>`);
  for (const tick of NICE_TICKS.filter((tick) => tick >= lo && tick <= hi)) {
    const ty = n(y(tick));
    const baseline = tick === 1;
    parts.push(`<line x1="${margin.left}" x2="${width - margin.right}" y1="${ty}" y2="${ty}" stroke="${baseline ? "#333" : "#e3e3e3"}"${baseline ? ' stroke-dasharray="4 3"' : ""}/>`);
    parts.push(`<text x="${margin.left - 6}" y="${ty}" text-anchor="end" dominant-baseline="middle" fill="#444">${tick}×</text>`);
  }
  scenarios.forEach((scenario, groupIndex) => {
    const groupX = margin.left + groupIndex * groupWidth;
    const firstBarX = groupX + (groupWidth - barWidth * options.peers.length) / 2;
    options.peers.forEach((peer, peerIndex) => {
      const summary = summaries.find((candidate) => candidate.peer === peer.id && candidate.scenario === scenario);
      if (!summary) return;
      const x = firstBarX + peerIndex * barWidth;
      const centre = x + barWidth / 2;
      if (summary.outcome !== "ok" || summary.wallRatio === null) {
        const label = summary.outcome === "ok" ? "n/a" : summary.outcome;
        parts.push(`<text x="${n(centre)}" y="${n(y(1) - 4)}" transform="rotate(-90 ${n(centre)} ${n(y(1) - 4)})" fill="${colour(peerIndex)}" font-size="10" font-weight="700">${label}</text>`);
        return;
      }
      const top = clampY(Math.max(1, summary.wallRatio));
      const bottom = clampY(Math.min(1, summary.wallRatio));
      const barHeight = Math.max(1.5, bottom - top);
      const title = `${peer.label}, ${SCENARIO_LABELS[scenario]}: ${summary.wallRatio.toFixed(2)}× (${Math.round(summary.wallMs ?? 0)} ms)`;
      parts.push(`<rect x="${n(x + 1)}" y="${n(top)}" width="${n(barWidth - 2)}" height="${n(barHeight)}" fill="${colour(peerIndex)}"><title>${escapeXml(title)}</title></rect>`);
    });
    const labelY = margin.top + plotHeight + 16;
    parts.push(`<text x="${n(groupX + groupWidth / 2)}" y="${labelY}" text-anchor="middle">${escapeXml(SCENARIO_LABELS[scenario])}</text>`);
  });
  const legendY = height - 56;
  const legendColumn = plotWidth / 3;
  options.peers.forEach((peer, index) => {
    const lx = margin.left + (index % 3) * legendColumn;
    const ly = legendY + Math.floor(index / 3) * 20;
    parts.push(`<rect x="${n(lx)}" y="${ly - 10}" width="12" height="12" fill="${colour(index)}"/>`);
    parts.push(`<text x="${n(lx + 18)}" y="${ly}">${escapeXml(peer.label)}</text>`);
  });
  parts.push("</svg>");
  return `${parts.join("\n")}\n`;
}
