/**
 * Turns a failure message and its kind into the typed error the rules point to.
 *
 * This is the part of {@link decodeActionDetails} that needs no ActionDetails, exported so
 * that a caller holding only a pasted message (the CLI's `explain`, a log line) gets the
 * same answer as the client would.
 */

import {
  type AnyFlyteError,
  describingRemoteFailure,
  type ErrorKind,
  type FlyteError,
  type FlyteErrorDetails,
  type FlyteErrorOptions,
  ImagePullBackOffError,
  InvalidImageNameError,
  OOMError,
  PrimaryContainerNotFoundError,
  RetriesExhaustedError,
  RuntimeSystemError,
  RuntimeUnknownError,
  RuntimeUserError,
  TaskInterruptedError,
  TaskTimeoutError,
} from "../errors/failure.js";
import { ErrorInfo_Kind } from "../gen/flyteidl2/workflow/run_definition_pb.js";
import { construct } from "./construct.js";
import { type ContainerTermination, parseContainerLines } from "./container-lines.js";
import { matchFailureRule } from "./failure-evidence.js";
import { hintForRule } from "./failure-hints.js";

/** What the caller knows around the message; all of it ends up on the error. */
export interface FailureFacts {
  /** Who the message is about, for example `task a0 of run r1`; `the task` when unknown. */
  readonly subject?: string | undefined;
  readonly attempts?: number | undefined;
  readonly worker?: string | undefined;
  /** Extra details merged next to the parsed container lines. */
  readonly details?: FlyteErrorDetails | undefined;
}

/**
 * Classifies a plain failure message with the FAILED evidence rules, first match wins (the
 * README's decoding section names the backend source of each text):
 *
 * | evidence | class | code |
 * | --- | --- | --- |
 * | `Reason [OOMKilled]` in a container line, or `despite being OOMKilled` | OOMError | `OOMKilled` |
 * | `Primary container [<name>] not found` | PrimaryContainerNotFoundError | `PrimaryContainerNotFound` |
 * | `InvalidImageName`, `couldn't parse image reference`, `invalid reference format` | InvalidImageNameError | `InvalidImageName` |
 * | a missing secret or config map (`secret "<name>" not found`, `couldn't find key <k> in Secret <ns>/<name>`, ...) | RuntimeUserError | `CreateContainerConfigError` |
 * | `[ImagePullBackOff]`, `Back-off pulling image`, `ErrImagePull`, `Failed to pull image` | ImagePullBackOffError (kind system and retryable when the registry said `429 Too Many Requests`) | `ImagePullBackOff` |
 * | `Grace period [...] exceeded\|` without a pull | RuntimeUserError | `CreateContainerError` |
 * | the kubelet's eviction texts | RuntimeUserError, retryable unless the pod went over its own limit | `Evicted` |
 * | `Pod was active on the node longer than the specified deadline` | TaskTimeoutError | `DeadlineExceeded` |
 * | node shutdown, kubelet preemption, the pod deleted under the task, kind system with SIGKILL, exit code 137 or a failed pod's lines, or the word `Interrupted` | TaskInterruptedError, kind system | `Interrupted` |
 * | `PodPendingTimeout`, or the scheduler's `nodes are available:` | RuntimeSystemError | `PodPendingTimeout` |
 * | `exceeded quota:` | RuntimeUserError, retryable | `RuntimeFailure` |
 * | the error file missing or malformed | RuntimeSystemError | `ErrorFileNotFound`, `ErrorFileBadFormat` |
 * | `task failed after <n> attempt(s)` | RetriesExhaustedError, `attempts = n` | `MaxRetriesExceeded` |
 * | `failed with system error <n> times` | RuntimeSystemError | `MaxSystemFailuresExceeded` |
 * | kind user, anything else | RuntimeUserError | `UserError` |
 * | kind system, anything else | RuntimeSystemError | `SystemError` |
 * | kind unspecified | RuntimeUnknownError | `Unknown` |
 *
 * The kind, when user or system, is kept on every class, except where the backend always
 * blames the platform (interruptions, pending timeouts, the error file, repeated system
 * failures, a rate-limited pull). The hint follows the evidence. `details.containers` holds
 * the parsed container lines. Never throws.
 *
 * @param kind - `"user" | "system" | "unknown"`, or the numeric `ErrorInfo.Kind`.
 */
export function classifyFailureMessage(
  message: string,
  kind?: ErrorKind | ErrorInfo_Kind,
  facts: FailureFacts = {},
): AnyFlyteError {
  return describingRemoteFailure(() => classifyInto(message, kind, facts, { ...facts.details }));
}

type Options = FlyteErrorOptions & { attempts?: number | undefined };

type Ctor = new (options: Options) => FlyteError;

/**
 * {@link classifyFailureMessage} for a decoder that builds the error's details itself and
 * already runs inside `describingRemoteFailure`: `details` becomes the error's own, with
 * `containers` added, and `facts.details` is not read. Nothing is copied or spread: the
 * options are one object, filled in one order, so the constructors see few shapes.
 *
 * @internal
 */
export function classifyInto(
  message: string,
  kind: ErrorKind | ErrorInfo_Kind | undefined,
  facts: FailureFacts,
  details: Record<string, unknown>,
): AnyFlyteError {
  const text = typeof message === "string" ? message : String(message);
  const stated = statedKind(kind);
  const containers = parseContainerLines(text);
  details.containers = containers;
  const rule = matchFailureRule(text, containers, stated === "system");
  const options: Options = { details };
  if (facts.attempts !== undefined) options.attempts = facts.attempts;
  if (facts.worker !== undefined) options.worker = facts.worker;
  if (stated !== undefined) options.kind = stated;
  const hint = hintForRule(rule);
  if (hint !== undefined) options.hint = hint;
  let ctor: Ctor;
  let phrase: string;
  switch (rule.rule) {
    case "oom":
      ctor = OOMError;
      phrase = "ran out of memory";
      break;
    case "primaryContainerNotFound":
      ctor = PrimaryContainerNotFoundError;
      phrase = "has no container of its primary name";
      break;
    case "invalidImageName":
      ctor = InvalidImageNameError;
      phrase = "has an invalid image name";
      break;
    case "configMissing":
      ctor = RuntimeUserError;
      options.code = "CreateContainerConfigError";
      phrase = "could not start: a secret or config map it needs is missing";
      break;
    case "imagePullBackOff":
      ctor = ImagePullBackOffError;
      if (rule.cause === "rateLimited") {
        options.kind = "system";
        options.retryable = true;
        phrase = "could not pull its image: the registry rate-limited the pull";
      } else {
        phrase = "could not pull its image";
      }
      break;
    case "createContainer":
      ctor = RuntimeUserError;
      options.code = "CreateContainerError";
      phrase = "could not create its container";
      break;
    case "evicted":
      ctor = RuntimeUserError;
      options.code = "Evicted";
      options.retryable = !rule.overOwnLimit;
      phrase = "was evicted from its node";
      break;
    case "deadlineExceeded":
      ctor = TaskTimeoutError;
      options.code = "DeadlineExceeded";
      phrase = "ran past its active deadline";
      break;
    case "interrupted":
      ctor = TaskInterruptedError;
      options.kind = "system";
      phrase = "was interrupted";
      break;
    case "pendingTimeout":
      ctor = RuntimeSystemError;
      options.kind = "system";
      options.code = "PodPendingTimeout";
      phrase = "stayed pending past the platform's timeout";
      break;
    case "quotaExceeded":
      ctor = RuntimeUserError;
      options.code = "RuntimeFailure";
      options.retryable = true;
      phrase = "could not be created: the resource quota is full";
      break;
    case "errorFile":
      ctor = RuntimeSystemError;
      options.kind = "system";
      options.code = rule.code;
      options.retryable = rule.code === "ErrorFileNotFound";
      phrase =
        rule.code === "ErrorFileNotFound"
          ? "left no readable error file"
          : "wrote an error file without an error";
      break;
    case "retriesExhausted":
      ctor = RetriesExhaustedError;
      options.attempts = rule.attempts;
      phrase = `failed after ${rule.attempts} attempt(s)`;
      break;
    case "systemFailures":
      ctor = RuntimeSystemError;
      options.kind = "system";
      options.code = "MaxSystemFailuresExceeded";
      phrase = "failed on the platform too many times in a row";
      break;
    case "none":
      if (stated === "user") {
        const userHint = userFailureHint(text, containers);
        if (userHint !== undefined) options.hint = userHint;
        ctor = RuntimeUserError;
        phrase = "failed";
      } else if (stated === "system") {
        ctor = RuntimeSystemError;
        phrase = "failed on the platform";
      } else {
        ctor = RuntimeUnknownError;
        phrase = "failed";
      }
      break;
  }
  const subject = facts.subject ?? "the task";
  options.message = text === "" ? `${subject} ${phrase}` : `${subject} ${phrase}: ${text}`;
  return construct(ctor, options);
}

/**
 * A user failure's hint from what the message shows: the exception that a Python traceback
 * ends with, else a container's exit code.
 */
function userFailureHint(
  text: string,
  containers: readonly ContainerTermination[],
): string | undefined {
  const raised = tracebackException(text);
  if (raised !== undefined) {
    return `The task raised ${raised}: fix the code or its inputs (the traceback is in the message and the task's logs), then launch a new run.`;
  }
  const exited = containers.find((c) => c.exitCode !== undefined && c.exitCode !== 0);
  if (exited?.exitCode !== undefined) {
    return `The task's container exited with code ${exited.exitCode}: read its logs for the cause, fix it, then launch a new run.`;
  }
  return undefined;
}

/** `ValueError` from a Python traceback's last line `ValueError: bad input`. */
function tracebackException(text: string): string | undefined {
  if (!text.includes("Traceback (most recent call last):")) return undefined;
  let end = text.length;
  while (end > 0 && /\s/.test(text.charAt(end - 1))) end--;
  const start = text.lastIndexOf("\n", end - 1) + 1;
  const line = text.slice(start, Math.min(end, start + 256));
  const colon = line.indexOf(":");
  const name = colon === -1 ? line : line.slice(0, colon);
  return /^[A-Za-z_][A-Za-z0-9_.]*$/.test(name) ? name : undefined;
}

/** `"user"` or `"system"` when the payload said so; undefined keeps the class default. */
function statedKind(kind: ErrorKind | ErrorInfo_Kind | undefined): "user" | "system" | undefined {
  if (kind === "user" || kind === ErrorInfo_Kind.USER) return "user";
  if (kind === "system" || kind === ErrorInfo_Kind.SYSTEM) return "system";
  return undefined;
}
