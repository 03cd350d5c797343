import { describe, expect, it } from "vitest";
import { assetFailure } from "./assetFailure.js";
import { isRetryable, parseRetryAfter, retryDelayMs, sleep } from "./retryPolicy.js";

const timing = { baseDelayMs: 100, maxDelayMs: 5000 };

describe("retryPolicy", () => {
  it("retries network errors, stalls, 5xx, 408 and 429, and nothing else", () => {
    const http = (status: number) => assetFailure("HTTP", "u", "HTTP", { status });
    expect([500, 502, 503, 408, 429].map((status) => isRetryable(http(status)))).toEqual([true, true, true, true, true]);
    expect([400, 401, 403, 405, 409].map((status) => isRetryable(http(status)))).toEqual([false, false, false, false, false]);
    expect(isRetryable(assetFailure("NETWORK", "u", "x"))).toBe(true);
    expect(isRetryable(assetFailure("TIMEOUT", "u", "x"))).toBe(true);
    for (const code of ["NOT_FOUND", "OFFLINE", "INTEGRITY", "TOO_LARGE", "CANCELLED"] as const) expect(isRetryable(assetFailure(code, "u", "x"))).toBe(false);
  });

  it("backs off exponentially, with jitter between half and all of the step", () => {
    expect(retryDelayMs(1, undefined, timing, () => 0)).toBe(50);
    expect(retryDelayMs(1, undefined, timing, () => 1)).toBe(100);
    expect(retryDelayMs(3, undefined, timing, () => 0)).toBe(200);
    expect(retryDelayMs(3, undefined, timing, () => 1)).toBe(400);
    expect(retryDelayMs(20, undefined, timing, () => 1)).toBe(5000);
  });

  it("honours Retry-After, capped", () => {
    expect(retryDelayMs(1, 2000, timing)).toBe(2000);
    expect(retryDelayMs(1, 60_000, timing)).toBe(5000);
  });

  it("reads Retry-After as seconds or as an HTTP date", () => {
    const now = Date.parse("2024-05-01T10:00:00Z");
    expect(parseRetryAfter("3", now)).toBe(3000);
    expect(parseRetryAfter("Wed, 01 May 2024 10:00:07 GMT", now)).toBe(7000);
    expect(parseRetryAfter("Wed, 01 May 2024 09:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it("a wait ends early, rejected, when its signal aborts", async () => {
    const controller = new AbortController();
    const waiting = sleep(60_000, controller.signal, () => new Error("stopped"));
    controller.abort();
    await expect(waiting).rejects.toThrow("stopped");
  });
});
