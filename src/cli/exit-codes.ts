/**
 * The exit status of `flyte-remote`, one number per way a wait can end, so a shell
 * script can branch on whose fault a failure was without parsing text.
 *
 * @module
 */

import {
  ActionAbortedError,
  ActionNotFoundError,
  AuthenticationError,
  isFlyteError,
  PermissionDeniedError,
  RunAbortedError,
  TaskTimeoutError,
  UnionRpcError,
} from "../errors/index.js";
import { UsageError } from "./usage-error.js";

/** Every exit status the CLI uses. */
export const ExitCode = {
  /** The run succeeded or was recovered; or the command did what was asked. */
  ok: 0,
  /** The failure's kind was user: fix the code, the inputs or the configuration. */
  user: 1,
  /** The failure's kind was system: the platform (or the CLI itself) failed. */
  system: 2,
  /** The failure's kind was unknown. */
  unknown: 3,
  /** The run or action was aborted. */
  aborted: 4,
  /** The task ran past its timeout on the platform. */
  platformTimeout: 5,
  /** `--timeout` ran out before the run ended; the run goes on. */
  waitTimeout: 6,
  /** The endpoint refused who we are: authentication or permission failed. */
  access: 7,
  /** No such run (or action) on the endpoint. */
  notFound: 8,
  /** The endpoint could not be reached: host not found, connection refused, network down. */
  unreachable: 9,
  /** The command line was wrong (BSD `EX_USAGE`). */
  usage: 64,
  /** Interrupted by Ctrl-C (128 + SIGINT); the run was not aborted. */
  interrupted: 130,
  /** Stopped by SIGTERM (128 + 15); the run was not aborted. */
  terminated: 143,
} as const;

/** One of the {@link ExitCode} values. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** The exit-code table as `--help` and the README print it. */
export const exitCodeTable: readonly (readonly [ExitCode, string])[] = [
  [ExitCode.ok, "succeeded or recovered"],
  [ExitCode.user, "failed, kind user (fix the code, inputs or configuration)"],
  [ExitCode.system, "failed, kind system (platform failure; also a failure of the CLI itself)"],
  [ExitCode.unknown, "failed, kind unknown"],
  [ExitCode.aborted, "aborted (RunAbortedError, ActionAbortedError)"],
  [ExitCode.platformTimeout, "timed out on the platform (TaskTimeoutError)"],
  [ExitCode.waitTimeout, "--timeout ran out; the run goes on"],
  [
    ExitCode.access,
    "authentication or permission failed (AuthenticationError, PermissionDeniedError)",
  ],
  [ExitCode.notFound, "no such run (ActionNotFoundError)"],
  [
    ExitCode.unreachable,
    "the endpoint could not be reached (host not found, refused, network down, untrusted certificate)",
  ],
  [ExitCode.usage, "usage error"],
  [ExitCode.interrupted, "interrupted by Ctrl-C; the run was NOT aborted"],
  [ExitCode.terminated, "stopped by SIGTERM; the run was NOT aborted"],
];

/** Whether `error` is the DOMException a timed-out `wait({ timeoutMs })` rejects with. */
export function isWaitTimeout(error: unknown): boolean {
  return error instanceof DOMException && error.name === "TimeoutError";
}

/** Whether `error` is an AbortError, the reason the CLI aborts its own wait with on Ctrl-C. */
export function isAbortError(error: unknown): boolean {
  return error instanceof DOMException && error.name === "AbortError";
}

/**
 * Whether the client gave up on reaching the endpoint at all: a failure the transport
 * reported (the decoders keep it under `details.network`), not one the server answered.
 */
export function isUnreachable(error: unknown): boolean {
  if (!(error instanceof UnionRpcError)) return false;
  const network = error.details.network;
  return typeof network === "object" && network !== null;
}

/**
 * The exit status for whatever a command ended with. Aborts and platform timeouts win
 * over their kind, because a script usually treats them differently from a crash; an
 * error that is not flyte-remote's own is a failure of the CLI, hence system.
 */
export function exitCodeFor(error: unknown): ExitCode {
  if (error instanceof UsageError) return ExitCode.usage;
  if (isWaitTimeout(error)) return ExitCode.waitTimeout;
  if (isAbortError(error)) return ExitCode.interrupted;
  if (error instanceof RunAbortedError || error instanceof ActionAbortedError) {
    return ExitCode.aborted;
  }
  if (error instanceof TaskTimeoutError) return ExitCode.platformTimeout;
  if (error instanceof AuthenticationError || error instanceof PermissionDeniedError) {
    return ExitCode.access;
  }
  if (error instanceof ActionNotFoundError) return ExitCode.notFound;
  if (isUnreachable(error)) return ExitCode.unreachable;
  if (isFlyteError(error)) {
    switch (error.kind) {
      case "user":
        return ExitCode.user;
      case "system":
        return ExitCode.system;
      default:
        return ExitCode.unknown;
    }
  }
  return ExitCode.system;
}
