/**
 * A typed error, laid out for a person: what `wait` prints on failure and what
 * `explain` prints for a payload.
 *
 * @module
 */

import type { AnyFlyteError } from "../errors/index.js";
import type { Style } from "./style.js";

/** The facts of an error that the CLI shows, in the order it shows them. */
export interface ErrorFacts {
  readonly errorClass: string;
  readonly kind: string;
  readonly code: string;
  readonly retryable: boolean;
  /** The HTTP status of its RFC 9457 problem details. */
  readonly status: number;
  readonly worker?: string | undefined;
  readonly attempts?: number | undefined;
  readonly message: string;
  readonly hint: string;
}

/** Reads the facts off an error. Uses the problem details so the status matches `--json`. */
export function errorFacts(error: AnyFlyteError): ErrorFacts {
  const problem = error.toProblemDetails();
  return {
    errorClass: error.name,
    kind: error.kind,
    code: error.code,
    retryable: error.retryable,
    status: problem.status,
    ...(error.worker === undefined ? {} : { worker: error.worker }),
    ...(error.attempts === undefined ? {} : { attempts: error.attempts }),
    message: problem.detail,
    hint: problem.hint,
  };
}

/**
 * The lines of an error report: a headline with the class, then one labelled line per
 * fact. A multi-line message (a Python traceback, kubelet container lines) keeps its
 * lines, indented under its label; carriage returns from the backend are dropped.
 */
export function describeError(facts: ErrorFacts, style: Style): string[] {
  const rows: [string, string][] = [
    ["class", style.bold(facts.errorClass)],
    ["kind", facts.kind],
    ["code", facts.code],
    ["retryable", facts.retryable ? "yes" : "no"],
    ["http status", String(facts.status)],
  ];
  if (facts.worker !== undefined) rows.push(["worker", facts.worker]);
  if (facts.attempts !== undefined) rows.push(["attempts", String(facts.attempts)]);
  rows.push(["message", facts.message], ["hint", style.cyan(facts.hint)]);
  const width = Math.max(...rows.map(([label]) => label.length));
  const lines: string[] = [];
  for (const [label, value] of rows) {
    const [first = "", ...rest] = value.replace(/\r/g, "").split("\n");
    lines.push(`  ${style.dim(label.padEnd(width))}  ${first}`);
    for (const line of rest) lines.push(`  ${" ".repeat(width)}  ${line}`);
  }
  return lines;
}
