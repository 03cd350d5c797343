import { describe, expect, it } from "vitest";
import { chainsFor, warmUpChainsFor } from "./measureAll.js";
import { chainAppliesTo, mustBeControlled } from "./scenarios.js";

describe("chainsFor", () => {
  it("runs the HTTP/2 cold load in a chain of its own, on the HTTP/2 transport", () => {
    const chains = chainsFor(["cold-many-small-h2"]);
    expect(chains).toHaveLength(1);
    expect(chains[0]?.chain.transport).toBe("http2");
    expect(chains[0]?.chain.set).toBe("small");
    expect(chains[0]?.chain.steps.map((step) => step.scenario)).toEqual(["cold-many-small-h2"]);
  });

  it("gives HTTP/1.1 and HTTP/2 the same cold load: same assets, same cache policy, no game loop", () => {
    const [h1, h2] = chainsFor(["cold-many-small", "cold-many-small-h2"]);
    expect(h1?.chain.transport).toBe("http1.1");
    expect(h2?.chain.transport).toBe("http2");
    expect(h2?.chain.set).toBe(h1?.chain.set);
    expect(h2?.chain.policy).toBe(h1?.chain.policy);
    expect(h1?.stepCount).toBe(1);
    expect(h2?.chain.steps[0]).toMatchObject({ prepare: "none", gameLoop: false });
  });

  it("runs a chain up to its last wanted step, since the earlier steps prime it", () => {
    const [revalidate] = chainsFor(["changed-one"]);
    expect(revalidate?.chain.id).toBe("revalidate");
    expect(revalidate?.stepCount).toBe(3);
  });
});

describe("warmUpChainsFor", () => {
  it("warms up on HTTP/1.1 only when no wanted scenario is on HTTP/2", () => {
    expect(warmUpChainsFor(["warm", "cold-few-large"]).map((chain) => chain.transport)).toEqual(["http1.1"]);
  });

  it("warms up on HTTP/2 too when an HTTP/2 scenario is wanted, HTTP/1.1 first", () => {
    expect(warmUpChainsFor(["cold-many-small-h2"]).map((chain) => chain.transport)).toEqual(["http1.1", "http2"]);
  });
});

describe("the <img> chain (issue 14)", () => {
  it("primes the warm reload with a cold load of the image set, labelled fresh, on HTTP/1.1", () => {
    const [img] = chainsFor(["warm-img"]);
    expect(img?.chain).toMatchObject({ id: "img", set: "image", policy: "max-age", transport: "http1.1" });
    expect(img?.chain.steps.map((step) => step.scenario)).toEqual(["cold-img", "warm-img"]);
    expect(img?.stepCount).toBe(2);
  });

  it("is run by the pages whose element requests a worker may answer, and by the plain baseline", () => {
    const [img] = chainsFor(["cold-img"]);
    const chain = img?.chain as NonNullable<typeof img>["chain"];
    expect(["plain-fetch", "workbox-cache-first", "workbox-swr", "ours-sw"].every((peer) => chainAppliesTo(chain, peer))).toBe(true);
    expect(["plain-fetch-pool6", "pixi-assets", "ours-in-page"].some((peer) => chainAppliesTo(chain, peer))).toBe(false);
    const [fresh] = chainsFor(["warm"]);
    expect(chainAppliesTo(fresh?.chain as typeof chain, "pixi-assets")).toBe(true);
  });
});

describe("mustBeControlled", () => {
  it("asks ours' worker to control the page for <img> elements, and for its own loads only to be active", () => {
    const [img] = chainsFor(["cold-img"]);
    const [fresh] = chainsFor(["warm"]);
    const oursSw = { needsController: false, throughWorker: true };
    expect(mustBeControlled(img?.chain as NonNullable<typeof img>["chain"], oursSw)).toBe(true);
    expect(mustBeControlled(fresh?.chain as NonNullable<typeof fresh>["chain"], oursSw)).toBe(false);
    expect(mustBeControlled(img?.chain as NonNullable<typeof img>["chain"], { needsController: false })).toBe(false);
    expect(mustBeControlled(fresh?.chain as NonNullable<typeof fresh>["chain"], { needsController: true })).toBe(true);
  });
});
