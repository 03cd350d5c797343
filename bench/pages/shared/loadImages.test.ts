import { describe, expect, it } from "vitest";
import { imageSource } from "./loadImages.js";

describe("imageSource", () => {
  it("reads ours' source off its Server-Timing metric, whatever else the entry says", () => {
    expect(imageSource({ workerStart: 12, transferSize: 0, serverTiming: [{ name: "simvx-assets", description: "persistent" }] })).toBe("ours:persistent");
    expect(imageSource({ workerStart: 0, transferSize: 300, serverTiming: [{ name: "cdn", description: "hit" }, { name: "simvx-assets", description: "network" }] })).toBe(
      "ours:network",
    );
  });

  it("tells another worker's answer from the browser's cache and from the network", () => {
    expect(imageSource({ workerStart: 5, transferSize: 0, serverTiming: [] })).toBe("worker");
    expect(imageSource({ workerStart: 0, transferSize: 0, serverTiming: [] })).toBe("http-cache");
    expect(imageSource({ workerStart: 0, transferSize: 4400, serverTiming: [{ name: "cdn", description: "hit" }] })).toBe("network");
  });
});
