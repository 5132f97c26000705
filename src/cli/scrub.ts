/**
 * Defence in depth for the token: the errors already redact credentials, but the CLI
 * also knows the exact secret it was given, so it can make sure that string never
 * reaches a terminal or a log, whatever path a message took.
 *
 * @module
 */

/** Returns a function that replaces every occurrence of each secret with `[REDACTED]`. */
export function scrubber(secrets: readonly (string | undefined)[]): (text: string) => string {
  const present = secrets.filter((s): s is string => s !== undefined && s.length >= 4);
  if (present.length === 0) return (text) => text;
  return (text) => present.reduce((out, secret) => out.split(secret).join("[REDACTED]"), text);
}
