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
  readonly subject?: string;
  readonly attempts?: number;
  readonly worker?: string;
  /** Extra details merged next to the parsed container lines. */
  readonly details?: FlyteErrorDetails;
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
  return describingRemoteFailure(() => classify(message, kind, facts));
}

type Options = FlyteErrorOptions & { attempts?: number };

function classify(
  message: string,
  kind: ErrorKind | ErrorInfo_Kind | undefined,
  facts: FailureFacts,
): AnyFlyteError {
  const text = typeof message === "string" ? message : String(message);
  const stated = statedKind(kind);
  const containers = parseContainerLines(text);
  const rule = matchFailureRule(text, containers, stated === "system");
  const subject = facts.subject ?? "the task";
  const hint = hintForRule(rule);
  const base: Options = {
    ...(facts.attempts === undefined ? {} : { attempts: facts.attempts }),
    ...(facts.worker === undefined ? {} : { worker: facts.worker }),
    ...(stated === undefined ? {} : { kind: stated }),
    ...(hint === undefined ? {} : { hint }),
    details: { ...facts.details, containers },
  };
  const say = (phrase: string) =>
    text === "" ? `${subject} ${phrase}` : `${subject} ${phrase}: ${text}`;
  const system = { kind: "system" as const };
  switch (rule.rule) {
    case "oom":
      return construct(OOMError, { ...base, message: say("ran out of memory") });
    case "primaryContainerNotFound":
      return construct(PrimaryContainerNotFoundError, {
        ...base,
        message: say("has no container of its primary name"),
      });
    case "invalidImageName":
      return construct(InvalidImageNameError, {
        ...base,
        message: say("has an invalid image name"),
      });
    case "configMissing":
      return construct(RuntimeUserError, {
        ...base,
        code: "CreateContainerConfigError",
        message: say("could not start: a secret or config map it needs is missing"),
      });
    case "imagePullBackOff":
      return rule.cause === "rateLimited"
        ? construct(ImagePullBackOffError, {
            ...base,
            ...system,
            retryable: true,
            message: say("could not pull its image: the registry rate-limited the pull"),
          })
        : construct(ImagePullBackOffError, { ...base, message: say("could not pull its image") });
    case "createContainer":
      return construct(RuntimeUserError, {
        ...base,
        code: "CreateContainerError",
        message: say("could not create its container"),
      });
    case "evicted":
      return construct(RuntimeUserError, {
        ...base,
        code: "Evicted",
        retryable: !rule.overOwnLimit,
        message: say("was evicted from its node"),
      });
    case "deadlineExceeded":
      return construct(TaskTimeoutError, {
        ...base,
        code: "DeadlineExceeded",
        message: say("ran past its active deadline"),
      });
    case "interrupted":
      return construct(TaskInterruptedError, {
        ...base,
        ...system,
        message: say("was interrupted"),
      });
    case "pendingTimeout":
      return construct(RuntimeSystemError, {
        ...base,
        ...system,
        code: "PodPendingTimeout",
        message: say("stayed pending past the platform's timeout"),
      });
    case "quotaExceeded":
      return construct(RuntimeUserError, {
        ...base,
        code: "RuntimeFailure",
        retryable: true,
        message: say("could not be created: the resource quota is full"),
      });
    case "errorFile":
      return construct(RuntimeSystemError, {
        ...base,
        ...system,
        code: rule.code,
        retryable: rule.code === "ErrorFileNotFound",
        message: say(
          rule.code === "ErrorFileNotFound"
            ? "left no readable error file"
            : "wrote an error file without an error",
        ),
      });
    case "retriesExhausted":
      return construct(RetriesExhaustedError, {
        ...base,
        attempts: rule.attempts,
        message: say(`failed after ${rule.attempts} attempt(s)`),
      });
    case "systemFailures":
      return construct(RuntimeSystemError, {
        ...base,
        ...system,
        code: "MaxSystemFailuresExceeded",
        message: say("failed on the platform too many times in a row"),
      });
    case "none":
      if (stated === "user") {
        const userHint = userFailureHint(text, containers);
        return construct(RuntimeUserError, {
          ...base,
          ...(userHint === undefined ? {} : { hint: userHint }),
          message: say("failed"),
        });
      }
      if (stated === "system") {
        return construct(RuntimeSystemError, { ...base, message: say("failed on the platform") });
      }
      return construct(RuntimeUnknownError, { ...base, message: say("failed") });
  }
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
