// Subresource Integrity (https://w3c.github.io/webappsec-subresource-integrity/) over Web Crypto.
// Used by the page core, the in-page engine and the Service Worker, so it imports nothing: no page
// code, no node: modules (`globalThis.crypto.subtle` exists in browsers, workers and Node 20).

/** One SHA-256 token in standard, padded base64 (32 bytes), with no options. */
const CANONICAL_SHA256 = /^sha256-[A-Za-z0-9+/]{43}=$/;

const ALGORITHMS = {
  sha256: { name: "SHA-256", strength: 1 },
  sha384: { name: "SHA-384", strength: 2 },
  sha512: { name: "SHA-512", strength: 3 },
} as const;

type AlgorithmToken = keyof typeof ALGORITHMS;

interface IntegrityToken {
  algorithm: AlgorithmToken;
  /** As written: standard or URL-safe base64, padding optional. */
  base64: string;
}

/**
 * True when `bytes` match `integrity`: whitespace-separated `alg-base64[?options]` tokens. As the SRI
 * spec says, only tokens of the strongest algorithm present count, and any one of them matching
 * passes; tokens with unknown algorithms are ignored.
 *
 * Unlike a browser, which treats metadata with no usable token as "no check", this fails closed:
 * empty, malformed or unsupported-only metadata returns false, so a typo in a manifest can never
 * silently turn the check off.
 */
export async function verifyIntegrity(bytes: Uint8Array, integrity: string): Promise<boolean> {
  // The common case, one token as the build and the store write it: compared as text, with no
  // parsing (a revalidated manifest checks 1,000 stored bodies; issue 15).
  if (CANONICAL_SHA256.test(integrity)) return (await sha256Integrity(bytes)) === integrity;
  const tokens = strongestTokens(integrity);
  if (tokens.length === 0) return false;
  const algorithm = tokens[0]!.algorithm;
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest(ALGORITHMS[algorithm].name, asBufferSource(bytes)));
  return tokens.some((token) => sameBytes(decodeBase64(token.base64), digest));
}

/**
 * Whether bytes whose `sha256-<base64>` metadata is `sha256` satisfy `integrity`, without hashing
 * them again; null when `integrity`'s strongest algorithm is not SHA-256 (hash with that one).
 */
export function sha256Satisfies(sha256: string, integrity: string): boolean | null {
  // The common case, a manifest's or index's integrity stored as it came: no decoding.
  if (integrity === sha256 && sha256.startsWith("sha256-")) return true;
  const tokens = strongestTokens(integrity);
  if (tokens.length === 0) return false;
  if (tokens[0]!.algorithm !== "sha256") return null;
  const digest = decodeBase64(sha256.slice("sha256-".length));
  return digest !== null && tokens.some((token) => sameBytes(decodeBase64(token.base64), digest));
}

/**
 * The `sha256-<base64>` forms (as the store keeps them) of the SHA-256 tokens that decide
 * `integrity`; none when its strongest algorithm is another. The store finds copies by these.
 */
export function sha256Keys(integrity: string): string[] {
  // The common case, one token as the build and `sha256Integrity` write it: already in that form.
  if (CANONICAL_SHA256.test(integrity)) return [integrity];
  const tokens = strongestTokens(integrity);
  if (tokens[0]?.algorithm !== "sha256") return [];
  return tokens.flatMap((token) => {
    const digest = decodeBase64(token.base64);
    return digest === null || digest.length !== 32 ? [] : [`sha256-${encodeBase64(digest)}`];
  });
}

/** Lower-case hex SHA-256 of `bytes`: the version hint of pkg:// assets in the build index. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest("SHA-256", asBufferSource(bytes)));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** `sha256-<base64>` integrity metadata for `bytes`. */
export async function sha256Integrity(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest("SHA-256", asBufferSource(bytes)));
  return `sha256-${encodeBase64(digest)}`;
}

/** `sha256-<base64>` integrity metadata for a lower-case hex SHA-256 (as the build index stores it). */
export function integrityFromSha256Hex(hex: string): string {
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new TypeError(`not a hex SHA-256: ${hex}`);
  const digest = new Uint8Array(32);
  for (let i = 0; i < 32; i++) digest[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return `sha256-${encodeBase64(digest)}`;
}

function strongestTokens(integrity: string): IntegrityToken[] {
  const tokens: IntegrityToken[] = [];
  for (const expression of integrity.split(/[\t\n\f\r ]+/)) {
    const hashExpression = expression.split("?", 1)[0]!;
    const dash = hashExpression.indexOf("-");
    if (dash <= 0) continue;
    const algorithm = hashExpression.slice(0, dash).toLowerCase();
    if (!isAlgorithmToken(algorithm)) continue;
    tokens.push({ algorithm, base64: hashExpression.slice(dash + 1) });
  }
  const strength = Math.max(0, ...tokens.map((token) => ALGORITHMS[token.algorithm].strength));
  return tokens.filter((token) => ALGORITHMS[token.algorithm].strength === strength);
}

function isAlgorithmToken(value: string): value is AlgorithmToken {
  return Object.hasOwn(ALGORITHMS, value);
}

/** Decoded bytes, or null when `value` is not base64 (which can then match nothing). */
function decodeBase64(value: string): Uint8Array | null {
  // CSP's base64-value grammar admits the URL-safe alphabet too; `atob` wants the standard one.
  const standard = /[-_]/.test(value) ? value.replace(/-/g, "+").replace(/_/g, "/") : value;
  if (standard === "" || !/^[A-Za-z0-9+/]+={0,2}$/.test(standard)) return null;
  try {
    // A plain loop: `Uint8Array.from` with a mapping function cost 8 µs a hash, 8 ms for a
    // revalidated manifest of 1,000 entries (issue 15).
    const binary = atob(standard);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  } catch {
    return null;
  }
}

function encodeBase64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes));
}

function sameBytes(a: Uint8Array | null, b: Uint8Array): boolean {
  if (a === null || a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a[i]! ^ b[i]!;
  return difference === 0;
}

/** Web Crypto refuses views over a SharedArrayBuffer; copy those, pass the rest as they are. */
function asBufferSource(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes);
}
