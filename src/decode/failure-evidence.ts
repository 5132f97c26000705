/**
 * The evidence rules for a FAILED action, as pure text tests.
 *
 * RunService drops the backend's error code and keeps only a message and a kind, so the
 * platform's code survives only as words inside the message (FLYTE-FACTS section 5). Each
 * test below looks for one of those fixed phrases. All of them are `indexOf` scans with
 * bounded look-ahead, so a megabyte message from a misbehaving task costs linear time.
 */

import type { ContainerTermination } from "./container-lines.js";

/** The class a message points to, before kind, attempts and worker are attached. */
export type FailureRule =
  | { readonly rule: "oom" }
  | { readonly rule: "primaryContainerNotFound" }
  | { readonly rule: "invalidImageName" }
  | { readonly rule: "imagePullBackOff"; readonly rateLimited: boolean }
  | { readonly rule: "interrupted" }
  | { readonly rule: "retriesExhausted"; readonly attempts: number }
  | { readonly rule: "none" };

/**
 * Applies the rules in their documented order; the first match wins.
 *
 * @param systemKind - whether ErrorInfo said KIND_SYSTEM; a SIGKILL only means
 *   "interrupted" when the platform, not the user, owns the failure.
 */
export function matchFailureRule(
  message: string,
  containers: readonly ContainerTermination[],
  systemKind: boolean,
): FailureRule {
  if (
    message.includes("Reason [OOMKilled]") ||
    message.includes("despite being OOMKilled") ||
    containers.some((c) => c.reason === "OOMKilled")
  ) {
    return { rule: "oom" };
  }
  if (hasPrimaryContainerNotFound(message)) return { rule: "primaryContainerNotFound" };
  if (
    message.includes("InvalidImageName") ||
    message.includes("couldn't parse image reference") ||
    message.includes("invalid reference format")
  ) {
    return { rule: "invalidImageName" };
  }
  if (
    hasGracePeriodExceeded(message) ||
    message.includes("[ImagePullBackOff]") ||
    message.includes("Back-off pulling image") ||
    message.includes("ErrImagePull")
  ) {
    return { rule: "imagePullBackOff", rateLimited: message.includes("429 Too Many Requests") };
  }
  if (systemKind && (message.includes("SIGKILL") || containers.some((c) => c.exitCode === 137))) {
    return { rule: "interrupted" };
  }
  if (hasWord(message, "Interrupted")) return { rule: "interrupted" };
  const attempts = retriesExhaustedAttempts(message);
  if (attempts !== undefined) return { rule: "retriesExhausted", attempts };
  return { rule: "none" };
}

/** `Primary container [<name>] not found`, with any name on one line. */
function hasPrimaryContainerNotFound(message: string): boolean {
  const head = "Primary container [";
  const tail = "] not found";
  const start = message.indexOf(head);
  if (start === -1) return false;
  // The first head is enough: any later head also precedes the last tail, if there is one.
  const end = message.indexOf(tail, start + head.length);
  return end !== -1;
}

/** `Grace period [<duration>] exceeded|`. */
function hasGracePeriodExceeded(message: string): boolean {
  const head = "Grace period [";
  const start = message.indexOf(head);
  return start !== -1 && message.indexOf("] exceeded|", start + head.length) !== -1;
}

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

/** The `<n>` of `task failed after <n> attempt(s)`, if the phrase is there. */
export function retriesExhaustedAttempts(message: string): number | undefined {
  const head = "task failed after ";
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
    if (cursor > digitsStart && message.startsWith(" attempt", cursor)) {
      return Number(message.slice(digitsStart, cursor));
    }
    from = at + 1;
  }
}
