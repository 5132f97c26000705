/** The longest run name the backend accepts. */
export const MAX_RUN_NAME_LENGTH = 30;

const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

/**
 * A run name as the backend would pick one: `r` and 19 lowercase letters or digits, which
 * fits the 30-character limit and Kubernetes' label rules. The client names every run
 * itself so that CreateRun can be retried safely; 19 random characters make a clash with
 * another run as unlikely as a UUID's.
 */
export function generateRunName(): string {
  const bytes = new Uint8Array(19);
  globalThis.crypto.getRandomValues(bytes);
  let name = "r";
  // 36 does not divide 256; the bias towards the first 4 characters is a rounding error
  // against 36^19 names.
  for (const b of bytes) name += ALPHABET[b % ALPHABET.length];
  return name;
}
