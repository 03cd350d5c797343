import { expect } from "@playwright/test";
import type { TestOriginCounts } from "../../test/support/engine/testOrigin.js";
import { engineHas } from "../engines/features.js";

/**
 * What an origin on another origin than the page's saw while `assets` stored assets were
 * revalidated (issue 12: across origins the engine sends no header of its own, so no preflight;
 * the browser's HTTP cache makes the conditional request). Where the engine's HTTP cache does that
 * for the worker: one conditional request each, 304, no body. WebKitGTK under WebDriver keeps no
 * such copy: one plain request each, whose answers the engine still recognises as unchanged by
 * their validator (the spec checks what was served). Never a preflight.
 */
export function expectCrossOriginRevalidation(counts: TestOriginCounts, assets: number): void {
  expect(counts.preflights).toBe(0);
  if (engineHas("httpCacheRevalidation")) {
    expect(counts.conditionalRequests).toBe(assets);
    expect(counts.notModified).toBe(assets);
    expect(counts.bodyBytes).toBe(0);
  } else {
    expect(counts.requests - counts.heads).toBe(assets);
    expect(counts.notModified).toBe(0);
  }
}
