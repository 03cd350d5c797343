import type { AssetErrorCode, WireError } from "./protocol.js";

export type { AssetErrorCode };

const DEFAULT_MESSAGES: Record<AssetErrorCode, string> = {
  INVALID_URI: "invalid uri",
  UNSUPPORTED_SCHEME: "no source is registered for this scheme",
  NOT_FOUND: "not found",
  HTTP: "HTTP error",
  NETWORK: "network error",
  OFFLINE: "offline and not cached",
  TIMEOUT: "timed out",
  PARSE: "could not parse the asset",
  INTEGRITY: "integrity check failed",
  TOO_LARGE: "asset is larger than allowed",
  NOT_LISTABLE: "this source cannot list folders",
  CANCELLED: "cancelled",
  WORKER_LOST: "the service worker stopped answering",
};

export interface AssetErrorInit {
  status?: number;
  cause?: unknown;
  message?: string;
  retryAfterMs?: number;
  corsRefusal?: boolean;
}

/** The one error type of the library: every failure has a `code` and the `uri` it concerns. */
export class AssetError extends Error {
  override readonly name = "AssetError";
  readonly code: AssetErrorCode;
  readonly uri: string;
  readonly status: number | undefined;
  /** The server's `Retry-After`, in ms, when it sent one (the engine's retries honour it). */
  readonly retryAfterMs: number | undefined;
  /**
   * The origin answered but CORS kept the answer from us: another try gets the same refusal, and
   * a stored copy must not be served in its place (that would hide a misconfigured origin).
   */
  readonly corsRefusal: boolean;

  constructor(code: AssetErrorCode, uri: string, init: AssetErrorInit = {}) {
    super(init.message ?? `${DEFAULT_MESSAGES[code]}: ${uri}`, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = code;
    this.uri = uri;
    this.status = init.status;
    this.retryAfterMs = init.retryAfterMs;
    this.corsRefusal = init.corsRefusal === true;
  }

  /** Works for errors from another realm (a worker, an iframe), where `instanceof` does not. */
  static is(value: unknown): value is AssetError {
    return value instanceof AssetError || (typeof value === "object" && value !== null && (value as { name?: unknown }).name === "AssetError" && typeof (value as { code?: unknown }).code === "string");
  }

  /** Wraps anything thrown into an AssetError, keeping an AssetError as it is. */
  static from(value: unknown, uri: string, fallback: AssetErrorCode): AssetError {
    if (value instanceof AssetError) return value;
    if (value instanceof Error && value.name === "AbortError") return new AssetError("CANCELLED", uri, { cause: value });
    const message = value instanceof Error ? value.message : String(value);
    return new AssetError(fallback, uri, { cause: value, message: `${DEFAULT_MESSAGES[fallback]}: ${uri}: ${message}` });
  }

  static fromWire(wire: WireError): AssetError {
    return new AssetError(wire.code, wire.uri, {
      message: wire.message,
      ...(wire.status === undefined ? {} : { status: wire.status }),
      ...(wire.cause === undefined ? {} : { cause: wire.cause }),
    });
  }

  toWire(): WireError {
    const wire: WireError = { code: this.code, message: this.message, uri: this.uri };
    if (this.status !== undefined) wire.status = this.status;
    if (this.cause !== undefined) wire.cause = describeCause(this.cause);
    return wire;
  }
}

/** A short, body-free description of a thrown value (undici hides the real reason in `cause`). */
function describeCause(error: unknown): string {
  if (!(error instanceof Error)) return String(error).slice(0, 200);
  const inner = error.cause instanceof Error ? ` (${error.cause.message})` : "";
  return `${error.message}${inner}`.slice(0, 200);
}
