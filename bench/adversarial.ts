/**
 * Failure messages built to make a careless scanner go quadratic: every fixed phrase the
 * decoders look for, started over and over and never finished. A message is server input
 * and can be many megabytes of a crashing program's output, so each of these must decode in
 * time proportional to its length.
 */

/** One adversarial message family: a unit repeated up to the wanted size. */
export interface AdversarialPattern {
  readonly name: string;
  /** What a naive scanner would do with it. */
  readonly why: string;
  readonly unit: string;
  /** Text before the repetitions; a line-start `[` makes every marker a candidate. */
  readonly prefix?: string;
}

export const ADVERSARIAL_PATTERNS: readonly AdversarialPattern[] = [
  {
    name: "open-brackets",
    why: "`[` never closed: a bracket matcher rescans to the end from each one",
    unit: "[",
  },
  {
    name: "crlf-bracket-lines",
    why: "millions of lines that start like a container line and stop there",
    unit: "\r\n[",
  },
  {
    name: "markers-one-line",
    why: "`] terminated with ` over and over on one line that starts with `[`",
    prefix: "[",
    unit: "x] terminated with ",
  },
  {
    name: "unclosed-reason",
    why: "container lines whose `Reason [` never closes",
    unit: "\r\n[c] terminated with exit code (137). Reason [OOMKill",
  },
  {
    name: "reason-fragments",
    why: "`Reason [` repeated with no container line around it",
    unit: "Reason [",
  },
  {
    name: "long-exit-codes",
    why: "exit codes of endless digits",
    unit: "\r\n[c] terminated with exit code (1234567890123456789",
  },
  {
    name: "phrase-heads",
    why: "every phrase head the rules search for, none completed",
    unit: "Primary container [Grace period [task failed after 99999 ",
  },
  {
    name: "embedded-words",
    why: "`Interrupted` glued to letters, so each hit fails the word-boundary test",
    unit: "xInterruptedx",
  },
  {
    name: "valid-lines",
    why: "well-formed OOM container lines, one hit each: the result grows with the input",
    unit: "\r\n[c] terminated with exit code (137). Reason [OOMKilled]. Message: \nkilled.",
  },
];

/** The pattern's message of exactly `bytes` ASCII characters. */
export function adversarialMessage(pattern: AdversarialPattern, bytes: number): string {
  const prefix = pattern.prefix ?? "";
  const body = pattern.unit.repeat(
    Math.ceil(Math.max(0, bytes - prefix.length) / pattern.unit.length),
  );
  return (prefix + body).slice(0, bytes);
}
