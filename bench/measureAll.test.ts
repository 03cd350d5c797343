import { describe, expect, it } from "vitest";
import { chainsFor, warmUpChainsFor } from "./measureAll.js";

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
