/**
 * Builders for the payloads the decoders read, and the backend's message texts of
 * FLYTE-FACTS section 5, with the variations the tables need (CRLF or LF, several
 * containers, odd names).
 */

import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { ActionPhase } from "../../src/gen/flyteidl2/common/phase_pb.js";
import {
  type ActionDetails,
  ActionDetailsSchema,
  ErrorInfo_Kind,
} from "../../src/gen/flyteidl2/workflow/run_definition_pb.js";

/** Line break between the pod message and its container lines. */
export type Eol = "\r\n" | "\n";

/** `[<name>] terminated with exit code (<n>). Reason [<reason>]. Message: \n<text>.` */
export function containerLine(
  name: string,
  exitCode: number,
  reason: string,
  text: string,
  eol: Eol = "\r\n",
): string {
  return `${eol}[${name}] terminated with exit code (${exitCode}). Reason [${reason}]. Message: \n${text}.`;
}

/** `[<name>] terminated with ExitCode 0.` */
export function exitZeroLine(name: string, eol: Eol = "\r\n"): string {
  return `${eol}[${name}] terminated with ExitCode 0.`;
}

export const POD_FAILED = "Pod failed. No message received from kubernetes.";

/** The FLYTE-FACTS section 5 texts, one per backend condition. */
export const TEXTS = {
  oomPod: (eol: Eol = "\r\n") =>
    `${POD_FAILED}${containerLine("main", 137, "OOMKilled", "memory limit 1Gi exceeded", eol)}`,
  oomDespite: "Pod reported success despite being OOMKilled",
  sigkill: (eol: Eol = "\r\n") =>
    `${POD_FAILED}${containerLine("main", 137, "Error", "killed by the node", eol)}`,
  primaryMissing: (name: string) =>
    `Primary container [${name}] not found in pod's container statuses`,
  gracePeriod: `Grace period [3m0s] exceeded|Back-off pulling image "ghcr.io/acme/app:v1"`,
  gracePeriodRateLimited: `Grace period [3m0s] exceeded|Failed to pull image "docker.io/library/python:3.12": 429 Too Many Requests - rate limit`,
  backoffBracket: `[ImagePullBackOff]: Back-off pulling image "ghcr.io/acme/app:v1"`,
  backoffKubelet: `Back-off pulling image "ghcr.io/acme/app:v1"`,
  errImagePull: `Failed to pull image "ghcr.io/acme/app:v1": rpc error (ErrImagePull)`,
  invalidImage: `Failed to apply default image tag "ghcr.io/Acme/App V1": couldn't parse image reference "ghcr.io/Acme/App V1": invalid reference format`,
  invalidImageCode: "InvalidImageName: image is not valid",
  retries: (n: number) => `task failed after ${n} attempt(s)`,
  userTraceback:
    'Traceback (most recent call last):\n  File "main.py", line 3\nValueError: bad input',
  errorFileNotFound: "ErrorFileNotFound: the error file was not written",
} as const;

export interface DetailsOptions {
  phase?: number;
  /** ErrorInfo on the result. */
  message?: string;
  kind?: ErrorInfo_Kind | number;
  /** ErrorInfo on the last attempt only, instead of the result. */
  attemptMessage?: string;
  attemptKind?: ErrorInfo_Kind | number;
  attempts?: number;
  runName?: string;
  actionName?: string;
  podName?: string;
  cluster?: string;
  endTime?: boolean;
  abort?: { reason?: string; principal?: Principal };
}

export type Principal =
  | { user: { email?: string; subject?: string } }
  | { application: { name?: string; subject?: string } };

/** An ActionDetails message as RunService would send it. */
export function actionDetails(options: DetailsOptions = {}): ActionDetails {
  const phase = options.phase ?? ActionPhase.FAILED;
  const attemptInfo =
    options.attemptMessage === undefined
      ? undefined
      : { message: options.attemptMessage, kind: options.attemptKind ?? ErrorInfo_Kind.USER };
  return create(ActionDetailsSchema, {
    id: {
      run: { org: "acme", project: "p", domain: "development", name: options.runName ?? "r1" },
      name: options.actionName ?? "a0",
    },
    status: {
      phase,
      attempts: options.attempts ?? 1,
      startTime: timestampFromMs(1_700_000_000_000),
      ...(options.endTime === false ? {} : { endTime: timestampFromMs(1_700_000_060_000) }),
    },
    result:
      options.message !== undefined
        ? {
            case: "errorInfo",
            value: { message: options.message, kind: options.kind ?? ErrorInfo_Kind.USER },
          }
        : options.abort !== undefined
          ? {
              case: "abortInfo",
              value: {
                reason: options.abort.reason ?? "",
                ...(options.abort.principal === undefined
                  ? {}
                  : { abortedBy: identity(options.abort.principal) }),
              },
            }
          : { case: undefined },
    attempts: [
      { attempt: 0, phase: ActionPhase.FAILED, cluster: "first-cluster" },
      {
        attempt: 1,
        phase,
        cluster: options.cluster ?? "",
        ...(attemptInfo === undefined ? {} : { errorInfo: attemptInfo }),
        ...(options.podName === undefined
          ? {}
          : { logContext: { primaryPodName: options.podName } }),
      },
    ],
  });
}

function identity(principal: Principal) {
  if ("user" in principal) {
    return {
      principal: {
        case: "user" as const,
        value: {
          id: { subject: principal.user.subject ?? "" },
          spec: { email: principal.user.email ?? "" },
        },
      },
    };
  }
  return {
    principal: {
      case: "application" as const,
      value: {
        id: { subject: principal.application.subject ?? "" },
        spec: { name: principal.application.name ?? "" },
      },
    },
  };
}
