import { describe, expect, it } from "vitest";
import { cacheControlFor, freshUntilFrom, isStorable } from "./cachePolicy.js";
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

  // RFC 9111 §4.2 for a private cache. now = 2025-01-01T00:01:00Z; Date headers are a minute earlier.
  const NOW = Date.parse("2025-01-01T00:01:00Z");
  const DATE = "Wed, 01 Jan 2025 00:00:00 GMT";
  const table: Array<[string, Record<string, string>, number | undefined]> = [
    ["max-age, no Date", { "cache-control": "max-age=600" }, NOW + 600_000],
    ["max-age, Date a minute ago: that minute is spent", { "cache-control": "max-age=600", date: DATE }, NOW + 540_000],
    ["max-age, Age larger than the time since Date", { "cache-control": "max-age=600", date: DATE, age: "120" }, NOW + 480_000],
    ["max-age wins over Expires", { "cache-control": "max-age=120", expires: "Wed, 01 Jan 2025 01:00:00 GMT", date: DATE }, NOW + 60_000],
    ["Expires minus Date, less the age", { expires: "Wed, 01 Jan 2025 00:10:00 GMT", date: DATE }, NOW + 540_000],
    ["Expires without Date counts from now", { expires: new Date(NOW + 300_000).toUTCString() }, NOW + 300_000],
    ["Expires in the past", { expires: "Tue, 31 Dec 2024 00:00:00 GMT", date: DATE }, undefined],
    ["Expires: 0 (not a date) means expired", { expires: "0", date: DATE }, undefined],
    ["no-cache beats max-age", { "cache-control": "no-cache, max-age=600" }, undefined],
    ["no-store beats Expires", { "cache-control": "no-store", expires: "Wed, 01 Jan 2025 01:00:00 GMT" }, undefined],
    ["s-maxage alone is for shared caches", { "cache-control": "s-maxage=600" }, undefined],
    ["an invalid max-age is stale at once", { "cache-control": "max-age=soon", expires: "Wed, 01 Jan 2025 01:00:00 GMT" }, undefined],
    ["a Date in the future (clock skew) adds no age", { "cache-control": "max-age=60", date: "Wed, 01 Jan 2025 00:05:00 GMT" }, NOW + 60_000],
    ["no lifetime at all: revalidate every time", { "last-modified": DATE }, undefined],
  ];
  it.each(table)("RFC 9111 freshness: %s", (_name, headers, expected) => {
    expect(freshUntilFrom(new Headers(headers), NOW)).toBe(expected);
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

describe("cacheControlFor", () => {
  it("lets the page keep a body as long as it is fresh, a content-hashed one for a year, and nothing else", () => {
    expect(cacheControlFor(false, 61_500, 1_000)).toBe("max-age=60");
    expect(cacheControlFor(false, 1_500, 1_000)).toBe("no-cache");
    expect(cacheControlFor(false, 500, 1_000)).toBe("no-cache");
    expect(cacheControlFor(false, undefined, 1_000)).toBe("no-cache");
    expect(cacheControlFor(true, undefined, 1_000)).toBe("max-age=31536000, immutable");
  });
});
