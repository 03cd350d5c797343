import { describe, expect, it } from "vitest";
import type { Summary } from "./aggregate.js";
import { ratioDomain, renderSvg, wrapWords } from "./svg.js";

function summary(peer: string, scenario: Summary["scenario"], wallRatio: number | null, outcome: Summary["outcome"] = "ok"): Summary {
  return {
    peer,
    scenario,
    reps: 1,
    assetCount: 1,
    outcome,
    failed: 0,
    wallMs: 100,
    wallRatio,
    requests: null,
    notModified: null,
    bodyBytes: null,
    longTaskMs: null,
    worstFrameMs: null,
    framesOver33: null,
    idleWorstFrameMs: null,
    idleFramesOver33: null,
    peakHeapBytes: null,
    flushP50Ms: null,
    flushP99Ms: null,
    flushSamples: 0,
    flushMaxFinished: null,
    throughputBytesPerSec: null,
    throughputShare: null,
    errors: [],
  };
}

const peers = [
  { id: "fetch", label: "plain fetch", colour: "#8c8c8c" },
  { id: "ours", label: "ours <SW> & co", colour: "#0072B2" },
];

describe("renderSvg", () => {
  it("draws one bar per peer per scenario, with the ratio in its tooltip", () => {
    const svg = renderSvg(
      [
        summary("fetch", "cold-many-small", 1),
        summary("ours", "cold-many-small", 1.07),
        summary("fetch", "cold-many-small-h2", 1),
        summary("ours", "cold-many-small-h2", 1.3),
        summary("fetch", "warm", 1),
        summary("ours", "warm", 0.25),
      ],
      { peers, scenarios: ["cold-many-small", "cold-many-small-h2", "warm"], subtitle: ["test"] },
    );
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.match(/<rect [^>]*><title>/g)).toHaveLength(6);
    expect(svg).toContain("ours &lt;SW&gt; &amp; co, warm (reload, fresh): 0.25×");
    expect(svg).toContain("ours &lt;SW&gt; &amp; co, cold many-small, HTTP/2: 1.30×");
    // The HTTP/1.1 and HTTP/2 groups side by side, each named by its protocol.
    const labels = [...svg.matchAll(/text-anchor="middle">([^<]+)<\/text>/g)].map((match) => match[1]);
    expect(labels).toEqual(["cold many-small, HTTP/1.1", "cold many-small, HTTP/2", "warm (reload, fresh)"]);
    // Printed values, since a README image has no tooltips.
    expect(svg).toContain(">1.07</text>");
    expect(svg).toContain(">.25</text>");
  });

  it("puts a label instead of a bar for a peer that failed, so a fast failure never looks like a win", () => {
    const svg = renderSvg([summary("fetch", "offline", 1), summary("ours", "offline", 0.1, "failed")], {
      peers,
      scenarios: ["offline"],
      subtitle: [],
    });
    expect(svg.match(/<rect [^>]*><title>/g)).toHaveLength(1);
    expect(svg).toMatch(/font-weight="700"[^>]*>failed<\/text>/);
  });

  it("shows medians in milliseconds where plain fetch failed and there is no ratio", () => {
    const failedBaseline = { ...summary("fetch", "offline", null, "failed"), wallMs: 40 };
    const ours = { ...summary("ours", "offline", null), wallMs: 812.4 };
    const svg = renderSvg([failedBaseline, ours], { peers, scenarios: ["offline"], subtitle: [] });
    expect(svg.match(/<rect [^>]*><title>/g)).toBeNull();
    expect(svg).toContain(">812 ms</text>");
    expect(svg).toContain("plain fetch failed");
  });

  it("keeps a legend of every peer inside the image", () => {
    const many = Array.from({ length: 7 }, (_, i) => ({ id: `p${i}`, label: `peer ${i}`, colour: "#000000" }));
    const svg = renderSvg([summary("p0", "warm", 1)], { peers: many, scenarios: ["warm"], subtitle: [] });
    const height = Number(/height="(\d+)"/.exec(svg)?.[1]);
    const legend = [...svg.matchAll(/<text x="[\d.]+" y="([\d.]+)">peer \d<\/text>/g)].map((match) => Number(match[1]));
    expect(legend).toHaveLength(7);
    for (const y of legend) expect(y).toBeLessThan(height);
  });

  it("is well-formed: tags nest and close, and text holds no raw markup characters", () => {
    const svg = renderSvg([summary("fetch", "warm", 1), summary("ours", "warm", 3)], { peers, scenarios: ["warm"], subtitle: ["a < b"] });
    const stack: string[] = [];
    for (const match of svg.matchAll(/<(\/?)([a-z]+)\b[^>]*?(\/?)>/g)) {
      const [, closing, name, selfClosing] = match;
      if (selfClosing) continue;
      if (closing) expect(stack.pop()).toBe(name);
      else stack.push(name as string);
    }
    expect(stack).toEqual([]);
    expect(svg.replace(/<[^>]*>/g, "")).not.toMatch(/[<>]/);
  });
});

describe("ratioDomain", () => {
  it("covers every ratio with room for its label, and at least 0.5× to 2×, snapped to tick values", () => {
    expect(ratioDomain([1.05])).toEqual([0.5, 2]);
    expect(ratioDomain([0.03, 7])).toEqual([0.01, 20]);
    expect(ratioDomain([0.21, 3.79])).toEqual([0.1, 10]);
    expect(ratioDomain([])).toEqual([0.5, 2]);
  });
});

describe("wrapWords", () => {
  it("breaks between words to fit the width, never inside one", () => {
    expect(wrapWords("revalidate all, unchanged", 16)).toEqual(["revalidate all,", "unchanged"]);
    expect(wrapWords("extraordinarily-long", 5)).toEqual(["extraordinarily-long"]);
    expect(wrapWords("", 5)).toEqual([]);
  });
});
