import { describe, expect, it } from "vitest";
import { workerLocation } from "./workerLocation.js";

describe("workerLocation (where the asset worker is registered)", () => {
  const page = "https://games.example/games/dusk/level/1.html";

  it("defaults to <base>asset-sw.js with scope <base> for an app under a sub-path", () => {
    expect(workerLocation(null, "https://games.example/games/dusk/", page)).toEqual({ scriptUrl: "https://games.example/games/dusk/asset-sw.js", scope: "https://games.example/games/dusk/" });
  });

  it("without a base from the plugin, /asset-sw.js with scope / (the SPEC's default)", () => {
    expect(workerLocation(null, null, page)).toEqual({ scriptUrl: "https://games.example/asset-sw.js", scope: "https://games.example/" });
  });

  it("a serviceWorkerUrl of the app's own is resolved against the base; one outside it gets its own folder as scope", () => {
    expect(workerLocation("workers/sw.js", "https://games.example/games/dusk/", page)).toEqual({ scriptUrl: "https://games.example/games/dusk/workers/sw.js", scope: "https://games.example/games/dusk/" });
    expect(workerLocation("/shared/sw.js", "https://games.example/games/dusk/", page)).toEqual({ scriptUrl: "https://games.example/shared/sw.js", scope: "https://games.example/shared/" });
  });
});
