/**
 * Python's `str.strip()` with no argument, which the SDK applies to error codes.
 *
 * It removes the characters for which `str.isspace()` is true. That set differs from
 * JavaScript's `String.prototype.trim`: Python also strips the four information separators
 * U+001C to U+001F and NEXT LINE (U+0085), and keeps the BYTE ORDER MARK (U+FEFF), which
 * JavaScript strips.
 */

/** Every code point for which Python's `str.isspace()` is true (checked against CPython 3.11). */
const PYTHON_WHITESPACE: ReadonlySet<number> = new Set([
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001,
  0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f,
  0x205f, 0x3000,
]);

/** `text` without the leading and trailing characters that Python's `str.strip()` removes. */
export function pythonStrip(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && PYTHON_WHITESPACE.has(text.charCodeAt(start))) start++;
  while (end > start && PYTHON_WHITESPACE.has(text.charCodeAt(end - 1))) end--;
  return text.slice(start, end);
}
