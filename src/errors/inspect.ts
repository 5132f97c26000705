/**
 * How a Flyte error reads in a terminal: `console.log`, `util.inspect`, and `verboseMessage`.
 *
 * Node prints errors through `util.inspect`, which by default shows the stack and a dump of
 * own properties: the `details` payload drowns the one line that matters. The custom inspect
 * hook instead shows the essentials, the cause chain, then the frames. It is keyed by the
 * registered symbol, so this folder does not import `node:util` and still runs in browsers.
 */

import { hasLineage } from "./brand.js";
import type { ErrorFields } from "./fields.js";
import { redactSecrets } from "./redact.js";
import { framesOf, trimOwnFrames } from "./stack.js";
import {
  describeThrown,
  errorClassName,
  isErrorLike,
  readCause,
  safeRead,
  safeString,
} from "./thrown.js";

/** The key Node's `util.inspect` looks for; the same symbol in every copy and realm. */
export const INSPECT: unique symbol = Symbol.for("nodejs.util.inspect.custom") as never;

const MAX_CAUSES = 8;
const EXTRA_FIELDS = [
  "recoverable",
  "retryAfterMs",
  "rpcCode",
  "method",
  "reason",
  "abortedBy",
  "var",
  "taskName",
  "packageName",
  "originalError",
  "traceId",
];

/** The body of the inspect hook. A negative depth (nested too deep) gives one short tag. */
export function renderInspect(error: ErrorFields, depth: unknown): string {
  if (typeof depth === "number" && depth < 0) return `[${error.name} ${error.code}]`;
  const facts = [`name: ${error.name}`, `code: ${error.code}`, `kind: ${error.kind}`];
  if (error.worker !== undefined) facts.push(`worker: ${error.worker}`);
  if (error.attempts !== undefined) facts.push(`attempts: ${error.attempts}`);
  facts.push(`retryable: ${error.retryable}`);
  const fields = error as unknown as Record<string, unknown>;
  for (const key of EXTRA_FIELDS) {
    const value = fields[key];
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
      facts.push(`${key}: ${value}`);
    }
  }
  const lines = [error.message, `  ${facts.join(", ")}`, `  hint: ${error.hint}`];
  for (const cause of causeChain(error)) lines.push(`  caused by: ${describeCause(cause)}`);
  lines.push(...framesOf(error.stack));
  return redactSecrets(lines.join("\n"));
}

/**
 * The body of `verboseMessage`: the message, the cause chain, and the frames of the original
 * throw (the deepest Error in the chain). For a user error our own frames are trimmed so the
 * user's code comes first; a system error keeps them, since they are what a bug report needs.
 */
export function renderVerbose(error: ErrorFields): string {
  const causes = causeChain(error);
  const lines = [error.message, ...causes.map((cause) => `caused by: ${describeCause(cause)}`)];
  let frames = framesOf(error.stack);
  for (const cause of causes) {
    if (!isErrorLike(cause)) continue;
    const own = framesOf(safeRead(() => cause.stack));
    if (own.length > 0) frames = own;
  }
  if (error.kind === "user") frames = trimOwnFrames(frames);
  return redactSecrets([...lines, ...frames].join("\n"));
}

/** The causes below `error`, nearest first, stopping at cycles and after eight links. */
export function causeChain(error: object): unknown[] {
  const chain: unknown[] = [];
  const seen = new Set<unknown>([error]);
  let current: unknown = error;
  while (chain.length < MAX_CAUSES && typeof current === "object" && current !== null) {
    const cause = readCause(current);
    if (!cause.present || seen.has(cause.value)) break;
    chain.push(cause.value);
    seen.add(cause.value);
    current = cause.value;
  }
  return chain;
}

/** One line about a cause: a Flyte error's message, `Name: message`, or the thrown value. */
export function describeCause(cause: unknown): string {
  if (hasLineage(cause, "FlyteError")) return safeString(() => (cause as ErrorFields).message);
  if (isErrorLike(cause)) {
    const code = safeRead(() => (cause as { code?: unknown | undefined }).code);
    const suffix = typeof code === "string" ? ` [${code}]` : "";
    return `${errorClassName(cause)}${suffix}: ${safeString(() => cause.message)}`;
  }
  return describeThrown(cause);
}
