/**
 * Run names as the backend makes and accepts them.
 *
 * @module
 */

/** The longest run name the backend accepts. */
export const maxRunNameLength = 30;

/** A name the backend could have picked: `r` and 19 lowercase letters or digits. */
export function generateRunName(): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  const bytes = new Uint8Array(19);
  globalThis.crypto.getRandomValues(bytes);
  let name = "r";
  for (const b of bytes) name += alphabet[b % alphabet.length];
  return name;
}
