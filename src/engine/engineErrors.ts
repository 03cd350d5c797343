import type { AssetErrorCode, WireError } from "../kernel/protocol.js";

/**
 * A failure inside the engine. It carries its `WireError` (what the page will see) and, for
 * retry decisions only, the server's Retry-After. Never thrown out of the engine's public API.
 */
export class EngineFailure extends Error {
  override readonly name = "EngineFailure";
  readonly wire: WireError;
  readonly retryAfterMs: number | undefined;
  /**
   * The origin answered but CORS kept the answer from us: another try gets the same refusal, and
   * a stored copy must not be served in its place (that would hide a misconfigured origin).
   */
  readonly corsRefusal: boolean;

  constructor(wire: WireError, retryAfterMs?: number, corsRefusal = false) {
    super(wire.message);
    this.wire = wire;
    this.retryAfterMs = retryAfterMs;
    this.corsRefusal = corsRefusal;
  }

  get code(): AssetErrorCode {
    return this.wire.code;
  }
}

export interface FailureDetails {
  status?: number;
  cause?: string;
  retryAfterMs?: number;
  corsRefusal?: boolean;
}

export function engineFailure(code: AssetErrorCode, uri: string, message: string, details: FailureDetails = {}): EngineFailure {
  const wire: WireError = { code, message: `${message}: ${uri}`, uri };
  if (details.status !== undefined) wire.status = details.status;
  if (details.cause !== undefined) wire.cause = details.cause;
  return new EngineFailure(wire, details.retryAfterMs, details.corsRefusal === true);
}

export function cancelledFailure(uri: string): EngineFailure {
  return engineFailure("CANCELLED", uri, "cancelled");
}

/** Anything thrown, as an `EngineFailure`; `fallback` is the code for unknown errors. */
export function asEngineFailure(error: unknown, uri: string, fallback: AssetErrorCode): EngineFailure {
  if (error instanceof EngineFailure) return error;
  if (error instanceof Error && error.name === "AbortError") return cancelledFailure(uri);
  return engineFailure(fallback, uri, fallback === "NETWORK" ? "network error" : "failed", { cause: describeCause(error) });
}

/** A short, body-free description of a thrown value (undici hides the real reason in `cause`). */
export function describeCause(error: unknown): string {
  if (!(error instanceof Error)) return String(error).slice(0, 200);
  const inner = error.cause instanceof Error ? ` (${error.cause.message})` : "";
  return `${error.message}${inner}`.slice(0, 200);
}
