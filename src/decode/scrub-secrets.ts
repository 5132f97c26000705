/**
 * Removes credentials from free text before it is copied into an error.
 *
 * A server may echo what it received ("invalid token Bearer eyJ..."), and a proxy page may
 * quote request headers. Two defences: exact strings the caller knows to be secret (its
 * own token), which only the decoder knows, and the credential shapes that
 * {@link redactSecrets} finds whoever sent them. Both run in linear time, as text from a
 * server can be large.
 */

import { REDACTED, redactSecrets } from "../errors/redact.js";

/** Shortest exact secret that is replaced; shorter strings would shred ordinary words. */
const MIN_SECRET_LENGTH = 6;

/**
 * The text with every known secret and every credential-looking value replaced by
 * `[REDACTED]`. Exact secrets are also matched in their percent-encoded form, as gRPC
 * transmits messages.
 */
export function scrubSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (typeof secret !== "string" || secret.length < MIN_SECRET_LENGTH) continue;
    out = out.split(secret).join(REDACTED);
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) out = out.split(encoded).join(REDACTED);
  }
  return redactSecrets(out);
}
