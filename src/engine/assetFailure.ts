import { AssetError, type AssetErrorCode } from "../kernel/AssetError.js";

export interface FailureDetails {
  status?: number;
  cause?: unknown;
  retryAfterMs?: number;
  corsRefusal?: boolean;
}

/** An engine failure: `what` went wrong with `uri`, in the message the page will show. */
export function assetFailure(code: AssetErrorCode, uri: string, what: string, details: FailureDetails = {}): AssetError {
  return new AssetError(code, uri, { message: `${what}: ${uri}`, ...details });
}
