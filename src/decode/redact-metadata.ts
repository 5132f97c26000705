/**
 * RPC metadata, made safe to keep on an error.
 *
 * Errors end up in logs, JSON bodies and bug reports, so credentials never travel with
 * them. A header is sensitive when it is one of the well-known credential headers or its
 * name mentions a token, a secret or a key; its value is replaced, never dropped, so a
 * reader can still see that the header was there. The name policy is the error model's;
 * values go through the linear {@link scrubSecrets} because they come from the network.
 */

import { isSecretName, REDACTED } from "../errors/redact.js";
import { scrubSecrets } from "./scrub-secrets.js";

/**
 * Protocol headers that repeat what the error already holds in decoded form; the message
 * header is percent-encoded, so text scrubbing could miss a secret inside it.
 */
const DUPLICATE_HEADERS: ReadonlySet<string> = new Set(["grpc-message", "grpc-status-details-bin"]);

/**
 * True for a header (or metadata key) whose value must not be kept: the credential
 * headers and any name mentioning a token, a secret or a key (the policy of
 * `../errors/redact.ts`, shared so both layers hide the same names), plus the two
 * authentication challenge headers.
 */
export function isSensitiveHeader(name: string): boolean {
  return isSecretName(name) || AUTH_CHALLENGES.has(name.toLowerCase());
}

/**
 * Authentication challenges: not credentials themselves, but a server's
 * `error_description` may quote the token it rejected.
 */
const AUTH_CHALLENGES: ReadonlySet<string> = new Set(["www-authenticate", "proxy-authenticate"]);

/** Anything that iterates as `[name, value]` pairs, as Headers do. */
export type MetadataLike = Iterable<readonly [string, string]>;

/**
 * A plain record of the metadata with sensitive values replaced by `[REDACTED]`,
 * other values scrubbed of known secrets, and protocol duplicates left out.
 */
export function redactMetadata(
  metadata: MetadataLike | undefined,
  secrets: readonly string[] = [],
): Record<string, string> {
  // A Map, then fromEntries: a header named `__proto__` must stay a plain key.
  const out = new Map<string, string>();
  if (metadata === undefined) return {};
  for (const [name, value] of metadata) {
    const lower = name.toLowerCase();
    if (DUPLICATE_HEADERS.has(lower)) continue;
    const safe = isSensitiveHeader(lower) ? REDACTED : scrubSecrets(value, secrets);
    const prior = out.get(lower);
    out.set(lower, prior === undefined ? safe : `${prior}, ${safe}`);
  }
  return Object.fromEntries(out);
}

/**
 * A Headers copy fit to travel on an error's `cause`, in the shape a ConnectError has:
 * sensitive values replaced, other values scrubbed (`grpc-message` after percent-decoding,
 * then encoded again), and `grpc-status-details-bin` left out, since its bytes repeat the
 * message that may have held a secret.
 */
export function redactHeaders(
  metadata: MetadataLike | undefined,
  secrets: readonly string[] = [],
): Headers {
  const headers = new Headers();
  if (metadata === undefined) return headers;
  for (const [name, value] of metadata) {
    const lower = name.toLowerCase();
    if (lower === "grpc-status-details-bin") continue;
    if (isSensitiveHeader(lower)) headers.append(lower, REDACTED);
    else if (lower === "grpc-message") {
      headers.append(lower, encodeURIComponent(scrubSecrets(percentDecoded(value), secrets)));
    } else headers.append(lower, scrubSecrets(value, secrets));
  }
  return headers;
}

/**
 * True when the metadata holds a sensitive header or a value that scrubbing changes; only
 * then does an error's `cause` need a redacted copy.
 */
export function needsRedaction(
  metadata: MetadataLike | undefined,
  secrets: readonly string[] = [],
): boolean {
  if (metadata === undefined) return false;
  for (const [name, value] of metadata) {
    const lower = name.toLowerCase();
    if (isSensitiveHeader(lower)) return true;
    const text = lower === "grpc-message" ? percentDecoded(value) : value;
    if (scrubSecrets(text, secrets) !== text) return true;
  }
  return false;
}

function percentDecoded(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
