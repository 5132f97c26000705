/**
 * Removes credentials from free text before it is copied into an error.
 *
 * A server may echo what it received ("invalid token Bearer eyJ..."), and a proxy page may
 * quote request headers. Two defences: exact strings the caller knows to be secret (its
 * own token), and patterns that look like credentials whoever sent them.
 *
 * The text comes from a server and can be large, so every pattern here runs in linear
 * time: the regular expressions start at a fixed keyword and have no quantifier that can
 * be re-entered, and JWTs are found with a hand-written scan. (`redactSecrets` in
 * `../errors/redact.ts` covers more shapes but backtracks quadratically on inputs such as
 * `a-a-a-…`, so it is not used on unbounded server text.)
 */

import { REDACTED } from "../errors/redact.js";

/** `Bearer <credential>`, `Basic <credential>`, `Token <credential>`. */
const AUTH_SCHEME = /\b(Bearer|Basic|Token)([ \t]+)([A-Za-z0-9._~+/-]+=*)/gi;

/** `token=…`, `api_key: …`, `"password":"…"`, `authorization: …` and friends. */
const KEY_VALUE =
  /\b(access[_-]?token|refresh[_-]?token|id[_-]?token|token|api[_-]?key|apikey|x-api-key|client[_-]?secret|secret|password|passwd|authorization|proxy-authorization|set-cookie|cookie)("?[ \t]*[=:][ \t]*"?)([^\s"',;&]+)/gi;

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
  out = out.replace(AUTH_SCHEME, (match, scheme: string, space: string, value: string) =>
    looksLikeCredential(value) ? `${scheme}${space}${REDACTED}` : match,
  );
  out = out.replace(KEY_VALUE, (match, name: string, sep: string, value: string) =>
    value.startsWith(REDACTED) ? match : `${name}${sep}${REDACTED}`,
  );
  return scrubJwts(out);
}

/**
 * "Basic authentication failed" must stay readable: a credential is long, or mixes in
 * digits, punctuation or capitals past its first letter.
 */
function looksLikeCredential(value: string): boolean {
  return value.length >= 20 || /[0-9._~+/=-]/.test(value) || /[A-Z]/.test(value.slice(1));
}

/** Replaces `eyJ<seg>.<seg>.<seg>` runs; each character is visited a bounded number of times. */
function scrubJwts(text: string): string {
  let from = 0;
  let out = "";
  let copied = 0;
  for (;;) {
    const at = text.indexOf("eyJ", from);
    if (at === -1) break;
    let end = at;
    let dots = 0;
    while (end < text.length && isTokenChar(text.charCodeAt(end))) {
      if (text.charCodeAt(end) === 0x2e) dots++;
      end++;
    }
    if (dots >= 2 && end - at >= 20 && !isTokenChar(text.charCodeAt(at - 1))) {
      out += text.slice(copied, at) + REDACTED;
      copied = end;
    }
    // Any later "eyJ" inside this run ends at the same place, so skip the whole run.
    from = Math.max(end, at + 1);
  }
  return copied === 0 ? text : out + text.slice(copied);
}

function isTokenChar(c: number): boolean {
  return (
    (c >= 0x30 && c <= 0x39) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x61 && c <= 0x7a) ||
    c === 0x5f ||
    c === 0x2d ||
    c === 0x2e
  );
}
