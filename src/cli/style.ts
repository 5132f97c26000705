/**
 * Colour, only where it helps: on a terminal, unless `NO_COLOR` says no
 * (https://no-color.org). `FORCE_COLOR` turns it on for tools that capture a terminal.
 *
 * @module
 */

import type { OutputStream } from "./cli-io.js";

/** Text decorations; each is the identity when colour is off. */
export interface Style {
  readonly enabled: boolean;
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

/**
 * Whether to colour `stream`. `NO_COLOR` (any non-empty value) wins over everything;
 * then a non-empty `FORCE_COLOR` other than `0`; then a real terminal that is not `dumb`.
 */
export function colorEnabled(
  stream: OutputStream,
  env: Readonly<Record<string, string | undefined>>,
): boolean {
  if ((env.NO_COLOR ?? "") !== "") return false;
  const force = env.FORCE_COLOR ?? "";
  if (force !== "") return force !== "0" && force !== "false";
  return stream.isTTY === true && env.TERM !== "dumb";
}

function wrap(open: number, close: number): (text: string) => string {
  return (text) => `\x1b[${open}m${text}\x1b[${close}m`;
}

const identity = (text: string) => text;

/** A style for one stream, decided once. */
export function createStyle(enabled: boolean): Style {
  if (!enabled) {
    return {
      enabled,
      bold: identity,
      dim: identity,
      red: identity,
      green: identity,
      yellow: identity,
      cyan: identity,
    };
  }
  return {
    enabled,
    bold: wrap(1, 22),
    dim: wrap(2, 22),
    red: wrap(31, 39),
    green: wrap(32, 39),
    yellow: wrap(33, 39),
    cyan: wrap(36, 39),
  };
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI escapes is the point.
const ansi = /\x1b\[[0-9;?]*[A-Za-z]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI escapes is the point.
const leadingAnsi = /^\x1b\[[0-9;?]*[A-Za-z]/;

/** `text` without ANSI escapes. */
export function stripAnsi(text: string): string {
  return text.replace(ansi, "");
}

/** The width `text` takes on screen: its code points, escapes excluded. */
export function visibleWidth(text: string): number {
  return [...stripAnsi(text)].length;
}

/**
 * Cuts `text` to `width` visible characters, ending in `…` when cut, keeping escapes so
 * colours still close. Live views must not wrap: a wrapped line breaks the cursor-up
 * arithmetic of the next repaint.
 */
export function truncate(text: string, width: number): string {
  if (visibleWidth(text) <= width) return text;
  let out = "";
  let seen = 0;
  let index = 0;
  while (index < text.length) {
    if (text[index] === "\x1b") {
      const match = leadingAnsi.exec(text.slice(index));
      if (match !== null) {
        out += match[0];
        index += match[0].length;
        continue;
      }
    }
    const char = String.fromCodePoint(text.codePointAt(index) ?? 0);
    if (seen < width - 1) out += char;
    else if (seen === width - 1) out += "…";
    seen++;
    index += char.length;
  }
  return out;
}

/**
 * Wraps plain prose to `width` columns at spaces; continuation lines start with `indent`.
 * A word longer than a line stays whole: prose may run long, it must not be cut.
 */
export function wrapWords(text: string, width: number, indent = ""): string[] {
  const lead = /^ */.exec(text)?.[0] ?? "";
  const lines: string[] = [];
  let line = lead;
  for (const word of text.slice(lead.length).split(" ")) {
    const blank = line.trim() === "";
    const candidate = blank ? `${line}${word}` : `${line} ${word}`;
    if (!blank && visibleWidth(candidate) > width) {
      lines.push(line);
      line = `${indent}${word}`;
    } else {
      line = candidate;
    }
  }
  lines.push(line);
  return lines;
}
