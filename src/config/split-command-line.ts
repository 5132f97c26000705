/**
 * Splits a command line into words the way a POSIX shell does, without running one: for
 * `FLYTE_ADMIN_COMMAND`, which can only carry a string (`uctl get-token --audience 'a b'`).
 *
 * @module
 */

/**
 * The words of `text`. Single quotes keep everything literally; double quotes keep everything
 * but a backslash before `"`, `\`, `$` or a backtick; outside quotes a backslash keeps the next
 * character. Throws on an unterminated quote or a trailing backslash.
 */
export function splitCommandLine(text: string): string[] {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
      i++;
      continue;
    }
    inWord = true;
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end === -1) throw new Error("unterminated single quote");
      word += text.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new Error("unterminated double quote");
        const d = text[i] as string;
        if (d === '"') break;
        const next = text[i + 1];
        if (d === "\\" && next !== undefined && '"\\$`'.includes(next)) {
          word += next;
          i += 2;
        } else {
          word += d;
          i++;
        }
      }
      i++;
    } else if (c === "\\") {
      const next = text[i + 1];
      if (next === undefined) throw new Error("trailing backslash");
      word += next;
      i += 2;
    } else {
      word += c;
      i++;
    }
  }
  if (inWord) words.push(word);
  return words;
}
