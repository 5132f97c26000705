/**
 * Small readers for the fixed phrases of failure messages.
 *
 * Messages come from servers and tasks and can be megabytes long, so nothing here uses a
 * regular expression over the whole text: each reader finds its phrase with `indexOf` and
 * then reads a bounded number of characters after it, which keeps every scan linear.
 */

/** `word` with no letter, digit or underscore on either side. */
export function hasWord(message: string, word: string): boolean {
  let from = 0;
  for (;;) {
    const at = message.indexOf(word, from);
    if (at === -1) return false;
    if (
      !isWordChar(message.charCodeAt(at - 1)) &&
      !isWordChar(message.charCodeAt(at + word.length))
    ) {
      return true;
    }
    from = at + 1;
  }
}

function isWordChar(c: number): boolean {
  return (
    (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f
  );
}

/**
 * The decimal number between `head` and `tail`, as in `task failed after <n> attempt(s)`,
 * at the first place where the phrase is whole; at most ten digits.
 */
export function numberAfter(message: string, head: string, tail: string): number | undefined {
  let from = 0;
  for (;;) {
    const at = message.indexOf(head, from);
    if (at === -1) return undefined;
    let cursor = at + head.length;
    const digitsStart = cursor;
    while (cursor - digitsStart < 10) {
      const c = message.charCodeAt(cursor);
      if (c < 0x30 || c > 0x39) break;
      cursor++;
    }
    if (cursor > digitsStart && message.startsWith(tail, cursor)) {
      return Number(message.slice(digitsStart, cursor));
    }
    from = at + 1;
  }
}

/** The text after the first `head` (which ends with a `"`), up to the closing quote. */
export function quotedAfter(message: string, head: string): string | undefined {
  const at = message.indexOf(head);
  if (at === -1) return undefined;
  const start = at + head.length;
  const end = message.indexOf('"', start);
  if (end === -1 || end - start > 253 || end === start) return undefined;
  const name = message.slice(start, end);
  return name.includes("\n") ? undefined : name;
}

/** The text from `from` up to `stop` (exclusive), a line end, or `max` characters. */
export function readUntil(message: string, from: number, stop: string, max: number): string {
  let end = from;
  const limit = Math.min(message.length, from + max);
  while (end < limit) {
    const c = message.charAt(end);
    if (c === stop || c === "\n" || c === "\r") break;
    end++;
  }
  return message.slice(from, end);
}
