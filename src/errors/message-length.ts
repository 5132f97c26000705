/**
 * The one limit on how much text an error keeps as its message.
 *
 * A failed task's message can be megabytes of whatever it printed, and a thrown value can
 * carry anything. Every message, whether a decoder or `CustomError.fromException` built the
 * error, is cut at the same length, so a log line or a problem details body has a known
 * bound. What a decoder read stays whole in `details`.
 */

/** The longest `rawMessage` an error keeps, in UTF-16 code units, before the truncation note. */
export const MAX_MESSAGE_LENGTH = 100_000;

/** How far past the limit the scrubber reads, so a credential across the cut is seen whole. */
const SCRUB_MARGIN = 4096;

/**
 * `text`, scrubbed by `scrub` and cut to {@link MAX_MESSAGE_LENGTH} with a note of its
 * original length. Only the head is scrubbed, so a megabyte message costs no more than a
 * short one; a surrogate pair is never split.
 */
export function boundedMessage(text: string, scrub: (text: string) => string): string {
  if (text.length <= MAX_MESSAGE_LENGTH) return scrub(text);
  const head = scrub(text.slice(0, MAX_MESSAGE_LENGTH + SCRUB_MARGIN));
  let end = Math.min(head.length, MAX_MESSAGE_LENGTH);
  const last = head.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${head.slice(0, end)}… (truncated from ${text.length} characters)`;
}
