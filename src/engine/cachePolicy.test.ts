import { describe, expect, it } from "vitest";
import { freshUntilFrom, isStorable } from "./cachePolicy.js";
import { conditionalHeaders, matchesValidator } from "./conditionalHeaders.js";

describe("cachePolicy", () => {
  it("fresh for max-age minus the Age already spent in caches", () => {
    expect(freshUntilFrom(new Headers({ "cache-control": "public, max-age=60" }), 1000)).toBe(61_000);
    expect(freshUntilFrom(new Headers({ "cache-control": "max-age=60", age: "50" }), 1000)).toBe(11_000);
    expect(freshUntilFrom(new Headers({ "cache-control": "max-age=60", age: "90" }), 1000)).toBeUndefined();
  });

  it("no-cache, s-maxage alone or no header at all mean: revalidate every time", () => {
    expect(freshUntilFrom(new Headers({ "cache-control": "no-cache, max-age=60" }), 0)).toBeUndefined();
    expect(freshUntilFrom(new Headers({ "cache-control": "s-maxage=60" }), 0)).toBeUndefined();
    expect(freshUntilFrom(new Headers(), 0)).toBeUndefined();
  });

  it("refuses to store no-store and Vary: *, accepts other Vary", () => {
    expect(isStorable(new Headers({ "cache-control": "private, no-store" }))).toBe(false);
    expect(isStorable(new Headers({ vary: "Accept, *" }))).toBe(false);
    expect(isStorable(new Headers({ vary: "Accept-Encoding", "cache-control": "no-cache" }))).toBe(true);
  });
});

describe("conditionalHeaders", () => {
  it("an ETag goes in If-None-Match, anything else in If-Modified-Since", () => {
    expect(conditionalHeaders('"abc"')).toEqual({ "if-none-match": '"abc"' });
    expect(conditionalHeaders('W/"abc"')).toEqual({ "if-none-match": 'W/"abc"' });
    expect(conditionalHeaders("Wed, 01 May 2024 10:00:00 GMT")).toEqual({ "if-modified-since": "Wed, 01 May 2024 10:00:00 GMT" });
    expect(conditionalHeaders(null)).toEqual({});
  });

  it("a HEAD answer matches by weak ETag comparison, or by date", () => {
    expect(matchesValidator(new Headers({ etag: 'W/"abc"' }), '"abc"')).toBe(true);
    expect(matchesValidator(new Headers({ etag: '"abd"' }), '"abc"')).toBe(false);
    expect(matchesValidator(new Headers({ "last-modified": "Wed, 01 May 2024 10:00:00 GMT" }), "Wed, 01 May 2024 10:00:00 GMT")).toBe(true);
    expect(matchesValidator(new Headers(), "Wed, 01 May 2024 10:00:00 GMT")).toBe(false);
  });
});
