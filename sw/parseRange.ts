/**
 * What a `Range` header asks of a body of `size` bytes:
 * - `none`: the whole body (no header, a malformed one, another unit, or several ranges: a
 *   multipart answer is rarely worth it, and RFC 9110 §14.2 lets a server ignore `Range`);
 * - `range`: bytes `start` to `end`, both inclusive, clamped to the body;
 * - `unsatisfiable`: no byte of the body is asked for (416).
 */
export type ByteRange = { kind: "none" } | { kind: "range"; start: number; end: number } | { kind: "unsatisfiable" };

const SINGLE_RANGE = /^bytes[ \t]*=[ \t]*(\d*)[ \t]*-[ \t]*(\d*)[ \t]*$/i;

/** Parses a single byte range (`bytes=0-1`, `bytes=100-`, `bytes=-500`) per RFC 9110 §14.1.2. */
export function parseRange(header: string | null, size: number): ByteRange {
  if (header === null) return { kind: "none" };
  const match = SINGLE_RANGE.exec(header.trim());
  if (match === null) return { kind: "none" };
  const [, first = "", last = ""] = match;
  if (first === "" && last === "") return { kind: "none" };
  if (first === "") {
    // A suffix: the last N bytes. "bytes=-0" asks for none of them.
    const length = Number(last);
    if (!Number.isSafeInteger(length)) return { kind: "none" };
    if (length === 0 || size === 0) return { kind: "unsatisfiable" };
    return { kind: "range", start: Math.max(0, size - length), end: size - 1 };
  }
  const start = Number(first);
  const end = last === "" ? size - 1 : Number(last);
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end)) return { kind: "none" };
  // "bytes=5-2" is invalid syntax, to be ignored rather than refused.
  if (last !== "" && end < start) return { kind: "none" };
  if (start >= size) return { kind: "unsatisfiable" };
  return { kind: "range", start, end: Math.min(end, size - 1) };
}
