// fast-check arbitraries for the property tests: hostile uris, manifests, load options and fault
// schedules. Kept small and bounded so a run is quick and a failure shrinks to something readable.
import fc from "fast-check";
import type { AssetErrorCode } from "../../../src/kernel/AssetError.js";
import { AssetError } from "../../../src/kernel/AssetError.js";
import type { FaultOutcome, FaultStep } from "./FaultySource.js";
import { ERROR_CODES } from "./FaultySource.js";

const SCHEMES = ["mem", "faulty", "http", "https", "file", "pkg", "nope", "MEM", "Faulty", "javascript", "data", "blob", "c", ""];

/** Path segments that try to climb, smuggle separators or confuse decoders. */
const SEGMENTS = [
  "..", ".", "%2e%2e", "%2E.", ".%2e", "%2e", "...", "a", "b.json", "c.txt", "d.bin", "%2f", "%2F..%2F", "%5c", "%00", "\\",
  "..\\..", "ü", "😀", "%", "%zz", "?q=1", "#frag", "", " ", "a b", "m.json",
];

/** Uris worth trying on purpose, beyond what random generation would find. */
const NASTY_URIS = [
  "", " ", "\t", "..", "../x", "%2e%2e/x", "/", "//", "///", "mem://", "mem:///x", "mem://a/../../b", "mem://a/%2e%2e/%2e%2e/b",
  "faulty://h/..%2f..%2fx", "faulty://h/a/../../x", "javascript:alert(1)", "data:text/plain,hi", "blob:null/x", "http://[::1",
  "http://", "https://user:pass@/x", "file:///etc/passwd", "file:///a/../../etc/passwd", "file://remote-host/x", "c:/x",
  "\\\\server\\share\\x", "mem://a\u0000b", "mem://a\nb", "mem://\u202e/x", "pkg://game/../secret.txt", "pkg://", "pkg:///x",
  "mem://base/m.json", "mem://base/a.txt", "mem://base/dir/", "mem://base/", "faulty://h/x.json", "faulty://h/x.txt",
  "a.txt", "./a.txt", "dir/../a.txt", "?x", "#x", "mem://base/%61.txt", "x".repeat(5000),
];

export const uriArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_URIS) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 30 }) },
  {
    weight: 5,
    arbitrary: fc
      .tuple(fc.constantFrom(...SCHEMES), fc.constantFrom("h", "base", "", "..", "%2e%2e", "game", "a:b"), fc.array(fc.oneof(fc.constantFrom(...SEGMENTS), fc.string({ maxLength: 4 })), { maxLength: 5 }))
      .map(([scheme, host, path]) => `${scheme === "" ? "" : `${scheme}://`}${host}/${path.join("/")}`),
  },
);

/** Anything a caller might pass where a uri is expected. */
export const notQuiteUriArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 8, arbitrary: uriArb },
  { weight: 1, arbitrary: fc.constantFrom(null, undefined, 42, {}, [], Symbol("x"), () => "mem://x") },
);

const entryArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: uriArb },
  { weight: 3, arbitrary: fc.record({ uri: uriArb, size: fc.oneof(fc.nat(5000), fc.double(), fc.constant("big")), integrity: fc.oneof(fc.constant("sha256-AAAA"), fc.string({ maxLength: 10 })) }, { requiredKeys: ["uri"] }) },
  { weight: 1, arbitrary: fc.record({ uri: fc.anything(), size: fc.anything(), integrity: fc.anything() }, { requiredKeys: [] }) },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 2 }) },
);

/** Manifest file contents: well formed, wrong types, duplicates, nested junk, huge, not JSON at all. */
export const manifestTextArb: fc.Arbitrary<string | Uint8Array> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ assets: fc.array(entryArb, { maxLength: 25 }) }).map((value) => JSON.stringify(value)) },
  { weight: 1, arbitrary: fc.record({ assets: fc.anything({ maxDepth: 3 }) }).map((value) => JSON.stringify(value) ?? "") },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)) },
  { weight: 1, arbitrary: fc.tuple(uriArb, fc.integer({ min: 1, max: 3000 })).map(([uri, count]) => JSON.stringify({ assets: Array.from({ length: count }, () => uri) })) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 2000 }).map((depth) => `{"assets":[${"[".repeat(depth)}${"]".repeat(depth)}]}`) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
);

/** Values stored in mem:// for loads to find: text, JSON, bytes that are not UTF-8. */
export const memValueArb: fc.Arbitrary<unknown> = fc.oneof(fc.string({ maxLength: 20 }), fc.jsonValue({ maxDepth: 2 }), fc.uint8Array({ maxLength: 32 }));

/** Per-call options, including wrong types a JavaScript caller could pass. */
export const loadOptionsArb = fc.record(
  {
    cache: fc.oneof(fc.boolean(), fc.constant("no" as unknown as boolean)),
    priority: fc.oneof(fc.integer({ min: -5, max: 5 }), fc.constant(Number.NaN), fc.constant(Number.POSITIVE_INFINITY)),
    integrity: fc.oneof(fc.constant("sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="), fc.string({ maxLength: 12 }), fc.constant(42 as unknown as string)),
    // Not 0: that switches the watchdog off, and a source that hangs would then hang the load too.
    timeoutMs: fc.oneof(fc.integer({ min: 1, max: 80 }), fc.constant(-1), fc.constant(Number.NaN)),
    retries: fc.oneof(fc.nat(3), fc.constant(-2), fc.constant(1e9)),
    maxBytes: fc.oneof(fc.nat(64), fc.constant(-1)),
    size: fc.oneof(fc.nat(100), fc.constant(Number.NaN), fc.constant(-3)),
    failFast: fc.boolean(),
    recursive: fc.boolean(),
    abort: fc.constantFrom("none", "before", "later"),
  },
  { requiredKeys: [] },
);

const outcomeArb: fc.Arbitrary<FaultOutcome> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("bytes" as const), content: fc.oneof(fc.string({ maxLength: 12 }), fc.uint8Array({ maxLength: 40 })), version: fc.oneof(fc.constantFrom("v1", "v2", null), fc.anything({ maxDepth: 0 })) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("notModified" as const), version: fc.constantFrom("v1", "v2", null, 3) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("reject" as const), error: thrownArb() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("throwSync" as const), error: thrownArb() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("garbage" as const), value: fc.oneof(fc.anything({ maxDepth: 1 }), fc.constant({ bytes: "x", version: "v1" })) }) },
  { weight: 1, arbitrary: fc.constant({ kind: "hang" as const }) },
);

function thrownArb(): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.constantFrom<AssetErrorCode>(...ERROR_CODES).map((code) => new AssetError(code, "faulty://h/x", { status: 503 })),
    fc.constantFrom<unknown>(new Error("boom"), "a string", null, undefined, 7, new DOMException("aborted", "AbortError")),
  );
}

const progressArb = fc.array(
  fc.tuple(
    fc.oneof(fc.integer({ min: -10, max: 200 }), fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -0)),
    fc.oneof(fc.constant(null), fc.integer({ min: -1, max: 100 }), fc.constant(Number.NaN)),
  ),
  { maxLength: 4 },
);

export const faultStepArb: fc.Arbitrary<FaultStep> = fc.record({
  outcome: outcomeArb,
  delayTicks: fc.nat(3),
  progress: progressArb,
  progressAfterEnd: fc.boolean(),
  ignoreAbort: fc.boolean(),
});
