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
  ImagePullBackOffError,
  InvalidImageNameError,
  OOMError,
  PrimaryContainerNotFoundError,
  RetriesExhaustedError,
  RuntimeSystemError,
  RuntimeUnknownError,
  RuntimeUserError,
  TaskInterruptedError,
} from "../errors/failure.js";
import { ErrorInfo_Kind } from "../gen/flyteidl2/workflow/run_definition_pb.js";
import { construct } from "./construct.js";
import { parseContainerLines } from "./container-lines.js";
import { matchFailureRule } from "./failure-evidence.js";

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
 * Classifies a plain failure message with the FAILED evidence rules, first match wins:
 *
 * | evidence | class | code |
 * | --- | --- | --- |
 * | `Reason [OOMKilled]` in a container line, or `despite being OOMKilled` | OOMError | `OOMKilled` |
 * | `Primary container [<name>] not found` | PrimaryContainerNotFoundError | `PrimaryContainerNotFound` |
 * | `InvalidImageName`, `couldn't parse image reference`, `invalid reference format` | InvalidImageNameError | `InvalidImageName` |
 * | `Grace period [...] exceeded\|`, `[ImagePullBackOff]`, `Back-off pulling image`, `ErrImagePull` | ImagePullBackOffError (kind system and retryable when the registry said `429 Too Many Requests`) | `ImagePullBackOff` |
 * | kind system with `SIGKILL` or an exit code 137 container line, or the word `Interrupted` | TaskInterruptedError, kind system | `Interrupted` |
 * | `task failed after <n> attempt(s)` | RetriesExhaustedError, `attempts = n` | `MaxRetriesExceeded` |
 * | kind user, anything else | RuntimeUserError | `UserError` |
 * | kind system, anything else | RuntimeSystemError | `SystemError` |
 * | kind unspecified | RuntimeUnknownError | `Unknown` |
 *
 * The kind, when user or system, is kept on every class. `details.containers` holds the
 * parsed container lines. Never throws.
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
  const details: FlyteErrorDetails = { ...facts.details, containers };
  const base = {
    ...(facts.attempts === undefined ? {} : { attempts: facts.attempts }),
    ...(facts.worker === undefined ? {} : { worker: facts.worker }),
    ...(stated === undefined ? {} : { kind: stated }),
    details,
  };
  const say = (phrase: string) =>
    text === "" ? `${subject} ${phrase}` : `${subject} ${phrase}: ${text}`;
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
    case "imagePullBackOff":
      return rule.rateLimited
        ? construct(ImagePullBackOffError, {
            ...base,
            kind: "system",
            retryable: true,
            message: say("could not pull its image: the registry rate-limited the pull"),
          })
        : construct(ImagePullBackOffError, { ...base, message: say("could not pull its image") });
    case "interrupted":
      return construct(TaskInterruptedError, {
        ...base,
        kind: "system",
        message: say("was interrupted"),
      });
    case "retriesExhausted":
      return construct(RetriesExhaustedError, {
        ...base,
        attempts: rule.attempts,
        message: say(`failed after ${rule.attempts} attempt(s)`),
      });
    case "none":
      if (stated === "user") {
        return construct(RuntimeUserError, { ...base, message: say("failed") });
      }
      if (stated === "system") {
        return construct(RuntimeSystemError, { ...base, message: say("failed on the platform") });
      }
      return construct(RuntimeUnknownError, { ...base, message: say("failed") });
  }
}

/** `"user"` or `"system"` when the payload said so; undefined keeps the class default. */
function statedKind(kind: ErrorKind | ErrorInfo_Kind | undefined): "user" | "system" | undefined {
  if (kind === "user" || kind === ErrorInfo_Kind.USER) return "user";
  if (kind === "system" || kind === ErrorInfo_Kind.SYSTEM) return "system";
  return undefined;
}
