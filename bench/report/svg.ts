import { SCENARIO_LABELS, type ScenarioId } from "../scenarios.js";
import type { Summary } from "./aggregate.js";

export interface ChartPeer {
  id: string;
  label: string;
  colour: string;
}

export interface ChartOptions {
  peers: readonly ChartPeer[];
  scenarios: readonly ScenarioId[];
  /** Lines under the title (run, machine). */
  subtitle: readonly string[];
}

const NICE_TICKS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500];

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function n(value: number): string {
  return Number(value.toFixed(1)).toString();
}

function ratioLabel(value: number): string {
  return value >= 10 ? value.toFixed(0) : value >= 1 ? value.toFixed(2) : value.toFixed(2).replace(/^0/, "");
}

/**
 * Log-scale domain covering every ratio with room for its printed value, and 0.5×–2× at least,
 * snapped to the tick values.
 */
export function ratioDomain(ratios: readonly number[]): [number, number] {
  const positive = ratios.filter((value) => value > 0 && Number.isFinite(value));
  const room = 1.6;
  const low = Math.min(0.5, ...positive.map((value) => value / room));
  const high = Math.max(2, ...positive.map((value) => value * room));
  const lo = [...NICE_TICKS].reverse().find((tick) => tick <= low) ?? (NICE_TICKS[0] as number);
  const hi = NICE_TICKS.find((tick) => tick >= high) ?? (NICE_TICKS[NICE_TICKS.length - 1] as number);
  return [lo, hi];
}

/** Greedy word wrap, so neighbouring scenario labels never run into each other. */
export function wrapWords(text: string, maxChars: number): string[] {
  const lines: string[] = [];
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const last = lines[lines.length - 1];
    if (last !== undefined && last.length + 1 + word.length <= maxChars) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
}

/** A vertical label reading upwards from (x, y). */
function verticalText(x: number, y: number, text: string, attributes: string): string {
  return `<text x="${n(x)}" y="${n(y)}" transform="rotate(-90 ${n(x)} ${n(y)})" ${attributes}>${escapeXml(text)}</text>`;
}

/**
 * Grouped bars, one group per scenario and one bar per peer: the peer's median wall time over
 * plain fetch's, on a log scale around 1×, each bar labelled with its ratio (a README image has
 * no tooltips). A peer whose loads failed, served stale content or errored gets a label instead
 * of a bar, so a fast failure never looks like a win; where plain fetch itself failed there is
 * no ratio, and the group shows each peer's median milliseconds instead.
 */
export function renderSvg(summaries: readonly Summary[], options: ChartOptions): string {
  const width = 980;
  const subtitleLines = options.subtitle.length;
  const margin = { left: 64, right: 16, top: 40 + 16 * subtitleLines, bottom: 120 };
  const plotHeight = 300;
  const height = margin.top + plotHeight + margin.bottom;
  const plotWidth = width - margin.left - margin.right;
  const scenarios = options.scenarios.filter((scenario) => summaries.some((summary) => summary.scenario === scenario));
  const ratios = summaries.flatMap((summary) => (summary.wallRatio !== null && summary.outcome === "ok" ? [summary.wallRatio] : []));
  const [lo, hi] = ratioDomain(ratios);
  const y = (value: number): number => margin.top + plotHeight * (1 - (Math.log(value) - Math.log(lo)) / (Math.log(hi) - Math.log(lo)));
  const clampY = (value: number): number => y(Math.min(hi, Math.max(lo, value)));
  const groupWidth = plotWidth / Math.max(1, scenarios.length);
  const barWidth = Math.min(24, (groupWidth * 0.84) / Math.max(1, options.peers.length));

  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12">`);
  parts.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  parts.push(`<text x="${margin.left}" y="22" font-size="15" font-weight="600">Wall time relative to plain fetch (median; log scale; below 1× is faster)</text>`);
  options.subtitle.forEach((line, index) => parts.push(`<text x="${margin.left}" y="${40 + 16 * index}" fill="#555">${escapeXml(line)}</text>`));
  for (const tick of NICE_TICKS.filter((tick) => tick >= lo && tick <= hi)) {
    const ty = n(y(tick));
    const baseline = tick === 1;
    parts.push(`<line x1="${margin.left}" x2="${width - margin.right}" y1="${ty}" y2="${ty}" stroke="${baseline ? "#333" : "#e3e3e3"}"${baseline ? ' stroke-dasharray="4 3"' : ""}/>`);
    parts.push(`<text x="${margin.left - 6}" y="${ty}" text-anchor="end" dominant-baseline="middle" fill="#444">${tick}×</text>`);
  }
  scenarios.forEach((scenario, groupIndex) => {
    const groupX = margin.left + groupIndex * groupWidth;
    const firstBarX = groupX + (groupWidth - barWidth * options.peers.length) / 2;
    const inGroup = summaries.filter((summary) => summary.scenario === scenario);
    const noRatios = inGroup.every((summary) => summary.wallRatio === null);
    options.peers.forEach((peer, peerIndex) => {
      const summary = inGroup.find((candidate) => candidate.peer === peer.id);
      if (!summary) return;
      const centre = firstBarX + peerIndex * barWidth + barWidth / 2;
      const labelAttributes = `fill="${peer.colour}" font-size="10" font-weight="700" dominant-baseline="middle"`;
      if (summary.outcome !== "ok") {
        parts.push(verticalText(centre, y(1) - 4, summary.outcome, labelAttributes));
        return;
      }
      if (summary.wallRatio === null) {
        const text = noRatios && summary.wallMs !== null ? `${Math.round(summary.wallMs)} ms` : "n/a";
        parts.push(verticalText(centre, y(1) - 4, text, labelAttributes));
        return;
      }
      const top = clampY(Math.max(1, summary.wallRatio));
      const bottom = clampY(Math.min(1, summary.wallRatio));
      const barHeight = Math.max(1.5, bottom - top);
      const title = `${peer.label}, ${SCENARIO_LABELS[scenario]}: ${summary.wallRatio.toFixed(2)}× (${Math.round(summary.wallMs ?? 0)} ms)`;
      parts.push(`<rect x="${n(centre - barWidth / 2 + 1)}" y="${n(top)}" width="${n(barWidth - 2)}" height="${n(barHeight)}" fill="${peer.colour}"><title>${escapeXml(title)}</title></rect>`);
      // The value sits beyond the bar's far end: above a bar over 1×, below one under it.
      const above = summary.wallRatio >= 1;
      const anchorY = above ? top - 3 : top + barHeight + 3;
      parts.push(verticalText(centre, anchorY, ratioLabel(summary.wallRatio), `fill="#333" font-size="9" dominant-baseline="middle" text-anchor="${above ? "start" : "end"}"`));
    });
    const labelY = margin.top + plotHeight + 16;
    const labelLines = wrapWords(SCENARIO_LABELS[scenario], Math.max(8, Math.floor(groupWidth / 7)));
    labelLines.forEach((line, index) =>
      parts.push(`<text x="${n(groupX + groupWidth / 2)}" y="${labelY + 14 * index}" text-anchor="middle">${escapeXml(line)}</text>`),
    );
    if (noRatios) {
      const noteLines = wrapWords("plain fetch failed: medians in ms", Math.max(8, Math.floor(groupWidth / 6)));
      noteLines.forEach((line, index) =>
        parts.push(`<text x="${n(groupX + groupWidth / 2)}" y="${labelY + 14 * (labelLines.length + index)}" text-anchor="middle" fill="#777" font-size="10">${escapeXml(line)}</text>`),
      );
    }
  });
  const legendY = height - 50;
  const legendColumn = plotWidth / 3;
  options.peers.forEach((peer, index) => {
    const lx = margin.left + (index % 3) * legendColumn;
    const ly = legendY + Math.floor(index / 3) * 20;
    parts.push(`<rect x="${n(lx)}" y="${ly - 10}" width="12" height="12" fill="${peer.colour}"/>`);
    parts.push(`<text x="${n(lx + 18)}" y="${ly}">${escapeXml(peer.label)}</text>`);
  });
  parts.push("</svg>");
  return `${parts.join("\n")}\n`;
}
