/**
 * Canonical gRPC code names. Connect-ES prints codes in lower snake case (`not_found`);
 * flyte-remote uses the upper snake names of the gRPC spec as its `code`, the form every
 * gRPC tool and dashboard shows.
 */

const NAMES: readonly string[] = [
  "OK",
  "CANCELED",
  "UNKNOWN",
  "INVALID_ARGUMENT",
  "DEADLINE_EXCEEDED",
  "NOT_FOUND",
  "ALREADY_EXISTS",
  "PERMISSION_DENIED",
  "RESOURCE_EXHAUSTED",
  "FAILED_PRECONDITION",
  "ABORTED",
  "OUT_OF_RANGE",
  "UNIMPLEMENTED",
  "INTERNAL",
  "UNAVAILABLE",
  "DATA_LOSS",
  "UNAUTHENTICATED",
];

/**
 * The upper snake name of a gRPC code, for example `NOT_FOUND` for 5. A number outside 1
 * to 16 is `UNKNOWN`: an error with code OK, or a code from the future, is still an error.
 */
export function rpcCodeName(code: number): string {
  if (!Number.isInteger(code) || code < 1) return "UNKNOWN";
  return NAMES[code] ?? "UNKNOWN";
}
