/**
 * The inputs of the conversion parity cases and what the Python SDK answers for each.
 *
 * Every `python` answer was derived from flyte-sdk at commit
 * 7e2d4231b5598b856584a8cc819c990ff02dcf2a (2026-08-21):
 * - `src/flyte/_internal/runtime/convert.py`: `_clean_error_code`, `convert_error_to_native`,
 *   `convert_from_native_to_error`;
 * - `src/flyte/_internal/runtime/io.py`: `upload_error`, `load_error`;
 * - `src/flyte/_internal/controllers/remote/_controller.py`: `handle_action_failure`;
 * - `src/flyte/errors.py`.
 * They were checked by running those functions, copied from that commit, on each input.
 *
 * `ours` names the fields where flyte-remote answers otherwise on purpose, and the README
 * divergence (by its id) that says why. Everything not named there must equal Python's.
 */

/** Python's `kind` strings. */
export type PyKind = "user" | "system" | "unknown";

/** What Python raises or returns: class, `code`, `kind` and `str(exc)`. */
export interface PyAnswer {
  readonly cls: string;
  readonly code: string;
  readonly kind: PyKind;
  readonly message: string;
}

/** The README's divergences from the SDK; each id is a row of its table. */
export type DivergenceId =
  | "custom-error"
  | "sdk-class"
  | "non-recoverable"
  | "recoverability-zero"
  | "unknown-kind"
  | "empty-code"
  | "empty-document"
  | "no-user-worker"
  | "action-not-found-fields"
  | "create-run-message"
  | "create-run-unwrapped"
  | "aborted-retryable"
  | "message-limit";

/** Every divergence; the README's decoding section has a row for each. */
export const DIVERGENCES: readonly DivergenceId[] = [
  "custom-error",
  "sdk-class",
  "non-recoverable",
  "recoverability-zero",
  "unknown-kind",
  "empty-code",
  "empty-document",
  "no-user-worker",
  "action-not-found-fields",
  "create-run-message",
  "create-run-unwrapped",
  "aborted-retryable",
  "message-limit",
];

/** Where flyte-remote differs on purpose. */
export interface Ours {
  readonly cls?: string;
  readonly code?: string;
  readonly kind?: PyKind;
  readonly why: DivergenceId;
}

// ---------------------------------------------------------------------------------------
// `_clean_error_code(code)`: split at the first bar, `str.strip()` each part.
// ---------------------------------------------------------------------------------------

/** Every character for which CPython's `str.isspace()` is true. */
export const PYTHON_WHITESPACE = [
  "\t",
  "\n",
  "\v",
  "\f",
  "\r",
  "\u001c",
  "\u001d",
  "\u001e",
  "\u001f",
  " ",
  "\u0085",
  "\u00a0",
  "\u1680",
  "\u2000",
  "\u2001",
  "\u2002",
  "\u2003",
  "\u2004",
  "\u2005",
  "\u2006",
  "\u2007",
  "\u2008",
  "\u2009",
  "\u200a",
  "\u2028",
  "\u2029",
  "\u202f",
  "\u205f",
  "\u3000",
] as const;

export interface CleanCase {
  readonly code: string;
  /** `(user_code, server_code)`; `null` is Python's `None`. */
  readonly python: readonly [string, string | null];
}

export const CLEAN_CASES: readonly CleanCase[] = [
  // Each whitespace character, on both sides, is stripped.
  ...PYTHON_WHITESPACE.map(
    (ws): CleanCase => ({ code: `${ws}ValueError${ws}`, python: ["ValueError", null] }),
  ),
  // Characters JavaScript's trim() removes but str.strip() keeps, and the reverse.
  { code: "\ufeffValueError", python: ["\ufeffValueError", null] },
  { code: "ValueError\ufeff", python: ["ValueError\ufeff", null] },
  { code: "\u200bValueError", python: ["\u200bValueError", null] },
  { code: "\u180eValueError", python: ["\u180eValueError", null] },
  { code: "\u0000ValueError", python: ["\u0000ValueError", null] },
  // Whitespace inside is kept.
  { code: " Value Error ", python: ["Value Error", null] },
  // The bar.
  { code: "OOMKilled|ValueError", python: ["ValueError", "OOMKilled"] },
  { code: " OOMKilled | ValueError ", python: ["ValueError", "OOMKilled"] },
  { code: "a|b|c", python: ["b|c", "a"] },
  { code: "|ValueError", python: ["ValueError", ""] },
  { code: "ValueError|", python: ["", "ValueError"] },
  { code: "|", python: ["", ""] },
  { code: "||", python: ["|", ""] },
  { code: "\u0085|\u001c", python: ["", ""] },
  { code: "", python: ["", null] },
  { code: "   ", python: ["", null] },
];

// ---------------------------------------------------------------------------------------
// `convert_error_to_native(ExecutionError)`, as the controller calls it on an action's error.
// ---------------------------------------------------------------------------------------

export interface ExecCase {
  readonly code: string;
  readonly kind: number;
  readonly message: string;
  readonly worker?: string;
  readonly python: PyAnswer;
  readonly ours?: Ours;
}

const U = 1;
const S = 2;
const K = 0;

function user(code: string, cls: string, message = "root cause"): PyAnswer {
  return { cls, code, kind: "user", message };
}

/** USER-kind ExecutionErrors, one per rule and edge of the SDK's substring tests, in order. */
export const EXEC_CASES: readonly ExecCase[] = [
  // Kind UNKNOWN and SYSTEM decide alone, whatever the code.
  ...["Whatever", "OOMKilled", "Interrupted", "ValueError", ""].flatMap((code): ExecCase[] => [
    {
      code,
      kind: K,
      message: "m",
      python: { cls: "RuntimeUnknownError", code, kind: "unknown", message: "m" },
      ...(code === "" ? { ours: { code: "Unknown", why: "empty-code" as const } } : {}),
    },
    {
      code,
      kind: S,
      message: "m",
      python: { cls: "RuntimeSystemError", code, kind: "system", message: "m" },
      ...(code === "" ? { ours: { code: "SystemError", why: "empty-code" as const } } : {}),
    },
  ]),
  {
    code: "x|y",
    kind: S,
    message: "m",
    python: { cls: "RuntimeSystemError", code: "y", kind: "system", message: "m" },
  },
  // Rule 1: "OOM" in the upper-cased raw code.
  { code: "OOMKilled", kind: U, message: "root cause", python: user("OOMKilled", "OOMError") },
  { code: "oom", kind: U, message: "root cause", python: user("oom", "OOMError") },
  { code: "Oom", kind: U, message: "root cause", python: user("Oom", "OOMError") },
  {
    code: "ContainerOomed",
    kind: U,
    message: "root cause",
    python: user("ContainerOomed", "OOMError"),
  },
  { code: "Bloom", kind: U, message: "root cause", python: user("Bloom", "OOMError") },
  { code: "RoomError", kind: U, message: "root cause", python: user("RoomError", "OOMError") },
  {
    code: "OOMInterrupted",
    kind: U,
    message: "root cause",
    python: user("OOMInterrupted", "OOMError"),
  },
  {
    code: "ImagePullBackOffOOM",
    kind: U,
    message: "root cause",
    python: user("ImagePullBackOffOOM", "OOMError"),
  },
  {
    code: "OOMKilled|ValueError",
    kind: U,
    message: "root cause",
    python: user("ValueError", "OOMError"),
  },
  {
    code: "ValueError|OOMKilled",
    kind: U,
    message: "root cause",
    python: user("OOMKilled", "OOMError"),
  },
  { code: " OOMKilled ", kind: U, message: "root cause", python: user("OOMKilled", "OOMError") },
  { code: "O O M", kind: U, message: "root cause", python: user("O O M", "RuntimeUserError") },
  // Rule 2: "Interrupted", case-sensitive.
  {
    code: "Interrupted",
    kind: U,
    message: "root cause",
    python: user("Interrupted", "TaskInterruptedError"),
  },
  {
    code: "TaskInterrupted",
    kind: U,
    message: "root cause",
    python: user("TaskInterrupted", "TaskInterruptedError"),
  },
  {
    code: "Interrupted|PrimaryContainerNotFound",
    kind: U,
    message: "root cause",
    python: user("PrimaryContainerNotFound", "TaskInterruptedError"),
  },
  {
    code: "InterruptedUnknown",
    kind: U,
    message: "root cause",
    python: user("InterruptedUnknown", "TaskInterruptedError"),
  },
  {
    code: "interrupted",
    kind: U,
    message: "root cause",
    python: user("interrupted", "RuntimeUserError"),
  },
  {
    code: "INTERRUPTED",
    kind: U,
    message: "root cause",
    python: user("INTERRUPTED", "RuntimeUserError"),
  },
  // Rule 3.
  {
    code: "PrimaryContainerNotFound",
    kind: U,
    message: "root cause",
    python: user("PrimaryContainerNotFound", "PrimaryContainerNotFoundError"),
  },
  {
    code: "PrimaryContainerNotFound|RetriesExhausted",
    kind: U,
    message: "root cause",
    python: user("RetriesExhausted", "PrimaryContainerNotFoundError"),
  },
  {
    code: "primarycontainernotfound",
    kind: U,
    message: "root cause",
    python: user("primarycontainernotfound", "RuntimeUserError"),
  },
  // Rule 4.
  {
    code: "RetriesExhausted",
    kind: U,
    message: "root cause",
    python: user("RetriesExhausted", "RetriesExhaustedError"),
  },
  {
    code: "RetriesExhaustedError",
    kind: U,
    message: "root cause",
    python: user("RetriesExhaustedError", "RetriesExhaustedError"),
  },
  {
    code: "RetriesExhausted|Unknown",
    kind: U,
    message: "root cause",
    python: user("Unknown", "RetriesExhaustedError"),
  },
  {
    code: "MaxRetriesExceeded",
    kind: U,
    message: "root cause",
    python: user("MaxRetriesExceeded", "RuntimeUserError"),
  },
  // Rule 5: "Unknown" makes an unknown error even with kind USER.
  {
    code: "Unknown",
    kind: U,
    message: "root cause",
    python: { cls: "RuntimeUnknownError", code: "Unknown", kind: "unknown", message: "root cause" },
  },
  {
    code: "UnknownError",
    kind: U,
    message: "root cause",
    python: {
      cls: "RuntimeUnknownError",
      code: "UnknownError",
      kind: "unknown",
      message: "root cause",
    },
  },
  {
    code: "UnknownError|InvalidImageName",
    kind: U,
    message: "root cause",
    python: {
      cls: "RuntimeUnknownError",
      code: "InvalidImageName",
      kind: "unknown",
      message: "root cause",
    },
  },
  {
    code: "RuntimeUnknownError",
    kind: U,
    message: "root cause",
    python: {
      cls: "RuntimeUnknownError",
      code: "RuntimeUnknownError",
      kind: "unknown",
      message: "root cause",
    },
  },
  { code: "unknown", kind: U, message: "root cause", python: user("unknown", "RuntimeUserError") },
  // Rule 6.
  {
    code: "InvalidImageName",
    kind: U,
    message: "root cause",
    python: user("InvalidImageName", "InvalidImageNameError"),
  },
  {
    code: "InvalidImageName|ImagePullBackOff",
    kind: U,
    message: "root cause",
    python: user("ImagePullBackOff", "InvalidImageNameError"),
  },
  {
    code: "InvalidImageNameError",
    kind: U,
    message: "root cause",
    python: user("InvalidImageNameError", "InvalidImageNameError"),
  },
  // Rule 7.
  {
    code: "ImagePullBackOff",
    kind: U,
    message: "root cause",
    python: user("ImagePullBackOff", "ImagePullBackOffError"),
  },
  {
    code: "ContainersNotReady|ImagePullBackOff",
    kind: U,
    message: "root cause",
    python: user("ImagePullBackOff", "ImagePullBackOffError"),
  },
  {
    code: "ErrImagePull",
    kind: U,
    message: "root cause",
    python: user("ErrImagePull", "RuntimeUserError"),
  },
  // Rule 8: anything else is RuntimeUserError; flyte-remote says more where the code does.
  {
    code: "UserError",
    kind: U,
    message: "root cause",
    python: user("UserError", "RuntimeUserError"),
  },
  { code: "oops", kind: U, message: "root cause", python: user("oops", "RuntimeUserError") },
  {
    code: "bad_input",
    kind: U,
    message: "root cause",
    python: user("bad_input", "RuntimeUserError"),
  },
  {
    code: "USER:NotAClass",
    kind: U,
    message: "root cause",
    python: user("USER:NotAClass", "RuntimeUserError"),
  },
  {
    code: "Value Error",
    kind: U,
    message: "root cause",
    python: user("Value Error", "RuntimeUserError"),
  },
  {
    code: "valueError",
    kind: U,
    message: "root cause",
    python: user("valueError", "RuntimeUserError"),
  },
  { code: "1Error", kind: U, message: "root cause", python: user("1Error", "RuntimeUserError") },
  { code: "Err-or", kind: U, message: "root cause", python: user("Err-or", "RuntimeUserError") },
  {
    code: "my..Error",
    kind: U,
    message: "root cause",
    python: user("my..Error", "RuntimeUserError"),
  },
  { code: "Error.", kind: U, message: "root cause", python: user("Error.", "RuntimeUserError") },
  {
    code: `E${"x".repeat(256)}`,
    kind: U,
    message: "root cause",
    python: user(`E${"x".repeat(256)}`, "RuntimeUserError"),
  },
  // Kubernetes reasons and platform codes look like class names but are conditions.
  ...[
    "Error",
    "ContainerCannotRun",
    "Evicted",
    "DeadlineExceeded",
    "CreateContainerConfigError",
    "PodPendingTimeout",
    "ErrorFileNotFound",
    "MaxSystemFailuresExceeded",
    "BadTaskSpecification",
    "RuntimeFailure",
    "InvalidArgumentError",
    "RuntimeUserError",
  ].map(
    (code): ExecCase => ({
      code,
      kind: U,
      message: "root cause",
      python: user(code, "RuntimeUserError"),
    }),
  ),
  // The exception class a task raised: CustomError.from_exception wrote its name.
  ...[
    "ValueError",
    "KeyError",
    "ZeroDivisionError",
    "RuntimeError",
    "TimeoutError",
    "my.module.CustomExc",
    "_PrivateError",
    "__Dunder",
    "ÉchecError",
    "ДанныеError",
    "错误",
    "ǅigraph",
    "InitializationError",
    "LogsNotYetAvailableError",
    "ActionNotFoundError",
    "BaseRuntimeError",
  ].map(
    (code): ExecCase => ({
      code,
      kind: U,
      message: "root cause",
      python: user(code, "RuntimeUserError"),
      ours: { cls: "CustomError", why: "custom-error" },
    }),
  ),
  {
    code: "Error|ZeroDivisionError",
    kind: U,
    message: "root cause",
    python: user("ZeroDivisionError", "RuntimeUserError"),
    ours: { cls: "CustomError", why: "custom-error" },
  },
  // The fixed code of an SDK class: the task raised that class.
  ...(
    [
      ["TaskTimeoutError", "TaskTimeoutError"],
      ["ConditionTimedoutError", "ConditionTimedoutError"],
      ["ConditionAlreadyExistsError", "ConditionAlreadyExistsError"],
      ["ConditionFailedError", "ConditionFailedError"],
      ["ConditionNotFoundError", "ConditionNotFoundError"],
      ["RemoteTaskNotFoundError", "RemoteTaskNotFoundError"],
      ["RemoteTaskUsageError", "RemoteTaskUsageError"],
      ["ReferenceTaskUsageError", "ReferenceTaskError"],
      ["DataValidationError", "RuntimeDataValidationError"],
      ["DeploymentError", "DeploymentError"],
      ["ImageBuildError", "ImageBuildError"],
      ["ModuleLoadError", "ModuleLoadError"],
      ["CodeBundleError", "CodeBundleError"],
      ["InvalidPackageError", "InvalidPackageError"],
      ["InlineIOMaxBytesBreached", "InlineIOMaxBytesBreached"],
      ["OnlyAsyncIOSupportedError", "OnlyAsyncIOSupportedError"],
      ["ParameterMaterializationError", "ParameterMaterializationError"],
      ["RestrictedTypeUsage", "RestrictedTypeError"],
      ["TraceDoesNotAllowNestedTasksError", "TraceDoesNotAllowNestedTasksError"],
      ["NonRecoverableError", "NonRecoverableError"],
      ["ActionAbortedError", "ActionAbortedError"],
      ["RunAbortedError", "RunAbortedError"],
      ["SlowDownError", "SlowDownError"],
      ["BadContext", "NotInTaskContextError"],
      ["CustomError", "CustomError"],
    ] as const
  ).map(
    ([code, cls]): ExecCase => ({
      code,
      kind: U,
      message: "root cause",
      python: user(code, "RuntimeUserError"),
      ours: { cls, why: "sdk-class" },
    }),
  ),
  // The message is str(exc) as sent, empty included; the worker is kept.
  {
    code: "ValueError",
    kind: U,
    message: "",
    python: user("ValueError", "RuntimeUserError", ""),
    ours: { cls: "CustomError", why: "custom-error" },
  },
  { code: "OOMKilled", kind: U, message: "", python: user("OOMKilled", "OOMError", "") },
  {
    code: "OOMKilled",
    kind: U,
    message: "  padded  \n",
    python: user("OOMKilled", "OOMError", "  padded  \n"),
  },
  {
    code: "OOMKilled",
    kind: U,
    message: "line 1\nline 2",
    worker: "r1-a0-0",
    python: user("OOMKilled", "OOMError", "line 1\nline 2"),
  },
  // An empty code: Python keeps "", flyte-remote the class default.
  {
    code: "",
    kind: U,
    message: "m",
    python: user("", "RuntimeUserError", "m"),
    ours: { code: "UserError", why: "empty-code" },
  },
  {
    code: " ",
    kind: U,
    message: "m",
    python: user("", "RuntimeUserError", "m"),
    ours: { code: "UserError", why: "empty-code" },
  },
  // A kind number the schema does not know: convert_error_to_native returns None and
  // handle_action_failure raises RuntimeSystemError("UnableToConvertError", ...).
  ...[3, 7, 99].map(
    (kind): ExecCase => ({
      code: "ValueError",
      kind,
      message: "m",
      python: {
        cls: "RuntimeSystemError",
        code: "UnableToConvertError",
        kind: "system",
        message: "(Error in task <task>: <the ExecutionError>)",
      },
      ours: {
        cls: "RuntimeUnknownError",
        code: "ValueError",
        kind: "unknown",
        why: "unknown-kind",
      },
    }),
  ),
];

// ---------------------------------------------------------------------------------------
// `io.load_error` then `convert_error_to_native`, on an error.pb as `io.upload_error` wrote it.
// ---------------------------------------------------------------------------------------

export interface DocCase {
  /** What the task raised, in Python, when the document is what the SDK writes for it. */
  readonly raised?: string;
  readonly code: string;
  readonly origin: number;
  /** ContainerError.kind: 0 NON_RECOVERABLE, 1 RECOVERABLE. */
  readonly recoverability: number;
  readonly message: string;
  readonly python: PyAnswer;
  readonly ours?: Ours;
  /** `err.recoverable`: what the document said. */
  readonly recoverable: boolean | undefined;
}

const R = 1;
const N = 0;

export const DOC_CASES: readonly DocCase[] = [
  // What run_task and upload_error write for each kind of exception.
  {
    raised: 'ValueError("bad")',
    code: "ValueError",
    origin: U,
    recoverability: R,
    message: "bad",
    python: user("ValueError", "RuntimeUserError", "bad"),
    ours: { cls: "CustomError", why: "custom-error" },
    recoverable: true,
  },
  {
    raised: "ValueError()",
    code: "ValueError",
    origin: U,
    recoverability: R,
    message: "",
    python: user("ValueError", "RuntimeUserError", ""),
    ours: { cls: "CustomError", why: "custom-error" },
    recoverable: true,
  },
  {
    raised: 'KeyError("k")',
    code: "KeyError",
    origin: U,
    recoverability: R,
    message: "'k'",
    python: user("KeyError", "RuntimeUserError", "'k'"),
    ours: { cls: "CustomError", why: "custom-error" },
    recoverable: true,
  },
  {
    raised: 'NonRecoverableError("bad input", code="BadInput")',
    code: "BadInput",
    origin: U,
    recoverability: N,
    message: "bad input",
    python: user("BadInput", "RuntimeUserError", "bad input"),
    ours: { cls: "NonRecoverableError", why: "non-recoverable" },
    recoverable: false,
  },
  {
    raised: 'NonRecoverableError("stop")',
    code: "NonRecoverableError",
    origin: U,
    recoverability: N,
    message: "stop",
    python: user("NonRecoverableError", "RuntimeUserError", "stop"),
    ours: { cls: "NonRecoverableError", why: "non-recoverable" },
    recoverable: false,
  },
  {
    raised: 'NonRecoverableError("x", code="OOMKilled")',
    code: "OOMKilled",
    origin: U,
    recoverability: N,
    message: "x",
    python: user("OOMKilled", "OOMError", "x"),
    ours: { cls: "NonRecoverableError", why: "non-recoverable" },
    recoverable: false,
  },
  {
    raised: 'NonRecoverableError("x", code="ValueError")',
    code: "ValueError",
    origin: U,
    recoverability: N,
    message: "x",
    python: user("ValueError", "RuntimeUserError", "x"),
    ours: { cls: "NonRecoverableError", why: "non-recoverable" },
    recoverable: false,
  },
  {
    raised: 'NonRecoverableError("x", code="SomethingUnknown")',
    code: "SomethingUnknown",
    origin: U,
    recoverability: N,
    message: "x",
    python: { cls: "RuntimeUnknownError", code: "SomethingUnknown", kind: "unknown", message: "x" },
    ours: { cls: "NonRecoverableError", kind: "user", why: "non-recoverable" },
    recoverable: false,
  },
  {
    raised: 'OOMError("OOMKilled", "x")',
    code: "OOMKilled",
    origin: U,
    recoverability: R,
    message: "x",
    python: user("OOMKilled", "OOMError", "x"),
    recoverable: true,
  },
  {
    raised: 'RuntimeUserError("Bad", "x")',
    code: "Bad",
    origin: U,
    recoverability: R,
    message: "x",
    python: user("Bad", "RuntimeUserError", "x"),
    ours: { cls: "CustomError", why: "custom-error" },
    recoverable: true,
  },
  {
    raised: 'RuntimeSystemError("Boom", "x")',
    code: "Boom",
    origin: S,
    recoverability: R,
    message: "x",
    python: { cls: "RuntimeSystemError", code: "Boom", kind: "system", message: "x" },
    recoverable: true,
  },
  {
    raised: 'RuntimeUnknownError("Weird", "x")',
    code: "Weird",
    origin: K,
    recoverability: R,
    message: "x",
    python: { cls: "RuntimeUnknownError", code: "Weird", kind: "unknown", message: "x" },
    recoverable: true,
  },
  {
    raised: 'DeploymentError("x")',
    code: "DeploymentError",
    origin: U,
    recoverability: R,
    message: "x",
    python: user("DeploymentError", "RuntimeUserError", "x"),
    ours: { cls: "DeploymentError", why: "sdk-class" },
    recoverable: true,
  },
  {
    raised: 'TaskTimeoutError("x")',
    code: "TaskTimeoutError",
    origin: U,
    recoverability: R,
    message: "x",
    python: user("TaskTimeoutError", "RuntimeUserError", "x"),
    ours: { cls: "TaskTimeoutError", why: "sdk-class" },
    recoverable: true,
  },
  {
    raised: 'RestrictedTypeError("x")',
    code: "RestrictedTypeUsage",
    origin: U,
    recoverability: R,
    message: "x",
    python: user("RestrictedTypeUsage", "RuntimeUserError", "x"),
    ours: { cls: "RestrictedTypeError", why: "sdk-class" },
    recoverable: true,
  },
  {
    raised: 'RuntimeDataValidationError("o0", "bad int", "t")',
    code: "DataValidationError",
    origin: U,
    recoverability: R,
    message: "In task t variable o0, failed to serialize/deserialize because of bad int",
    python: user(
      "DataValidationError",
      "RuntimeUserError",
      "In task t variable o0, failed to serialize/deserialize because of bad int",
    ),
    ours: { cls: "RuntimeDataValidationError", why: "sdk-class" },
    recoverable: true,
  },
  {
    raised: 'InvalidPackageError("libfoo", "E: none")',
    code: "InvalidPackageError",
    origin: U,
    recoverability: R,
    message:
      "Invalid system package detected: 'libfoo'. This package does not exist in apt repositories. Error: E: none",
    python: user(
      "InvalidPackageError",
      "RuntimeUserError",
      "Invalid system package detected: 'libfoo'. This package does not exist in apt repositories. Error: E: none",
    ),
    ours: { cls: "InvalidPackageError", why: "sdk-class" },
    recoverable: true,
  },
  {
    raised: 'InlineIOMaxBytesBreached("x")',
    code: "InlineIOMaxBytesBreached",
    origin: U,
    recoverability: R,
    message: "x",
    python: user("InlineIOMaxBytesBreached", "RuntimeUserError", "x"),
    ours: { cls: "InlineIOMaxBytesBreached", why: "sdk-class" },
    recoverable: true,
  },
  {
    raised: 'ConditionTimedoutError("x")',
    code: "ConditionTimedoutError",
    origin: U,
    recoverability: R,
    message: "x",
    python: user("ConditionTimedoutError", "RuntimeUserError", "x"),
    ours: { cls: "ConditionTimedoutError", why: "sdk-class" },
    recoverable: true,
  },
  {
    raised: 'SlowDownError("x")',
    code: "SlowDownError",
    origin: U,
    recoverability: R,
    message: "x",
    python: user("SlowDownError", "RuntimeUserError", "x"),
    ours: { cls: "SlowDownError", why: "sdk-class" },
    recoverable: true,
  },
  {
    raised: 'InitializationError("C", "user", "x"), not a family: CustomError.from_exception',
    code: "InitializationError",
    origin: U,
    recoverability: R,
    message: "x",
    python: user("InitializationError", "RuntimeUserError", "x"),
    ours: { cls: "CustomError", why: "custom-error" },
    recoverable: true,
  },
  {
    raised: 'ActionNotFoundError("x"), not a family: CustomError.from_exception',
    code: "ActionNotFoundError",
    origin: U,
    recoverability: R,
    message: "x",
    python: user("ActionNotFoundError", "RuntimeUserError", "x"),
    ours: { cls: "CustomError", why: "custom-error" },
    recoverable: true,
  },
  // load_error strips the server part before classifying.
  {
    code: "OOMKilled|ValueError",
    origin: U,
    recoverability: R,
    message: "m",
    python: user("ValueError", "RuntimeUserError", "m"),
    ours: { cls: "CustomError", why: "custom-error" },
    recoverable: true,
  },
  {
    code: "OOMKilled|oops",
    origin: U,
    recoverability: R,
    message: "m",
    python: user("oops", "RuntimeUserError", "m"),
    recoverable: true,
  },
  {
    code: "ValueError|OOMKilled",
    origin: U,
    recoverability: R,
    message: "m",
    python: user("OOMKilled", "OOMError", "m"),
    recoverable: true,
  },
  {
    code: "Interrupted|x",
    origin: U,
    recoverability: R,
    message: "m",
    python: user("x", "RuntimeUserError", "m"),
    recoverable: true,
  },
  {
    code: "x|Interrupted",
    origin: U,
    recoverability: R,
    message: "m",
    python: user("Interrupted", "TaskInterruptedError", "m"),
    recoverable: true,
  },
  {
    code: "Unknown|x",
    origin: U,
    recoverability: R,
    message: "m",
    python: user("x", "RuntimeUserError", "m"),
    recoverable: true,
  },
  {
    code: "x|UnknownThing",
    origin: U,
    recoverability: R,
    message: "m",
    python: { cls: "RuntimeUnknownError", code: "UnknownThing", kind: "unknown", message: "m" },
    recoverable: true,
  },
  {
    code: "ImagePullBackOff|x",
    origin: U,
    recoverability: R,
    message: "m",
    python: user("x", "RuntimeUserError", "m"),
    recoverable: true,
  },
  {
    code: "a|ImagePullBackOff",
    origin: U,
    recoverability: R,
    message: "m",
    python: user("ImagePullBackOff", "ImagePullBackOffError", "m"),
    recoverable: true,
  },
  {
    code: " \u0085OOMKilled\u001f ",
    origin: U,
    recoverability: R,
    message: "m",
    python: user("OOMKilled", "OOMError", "m"),
    recoverable: true,
  },
  {
    code: "\ufeffoops",
    origin: U,
    recoverability: R,
    message: "m",
    python: user("\ufeffoops", "RuntimeUserError", "m"),
    recoverable: true,
  },
  // The origin plays the kind.
  {
    code: "OOMKilled",
    origin: S,
    recoverability: R,
    message: "m",
    python: { cls: "RuntimeSystemError", code: "OOMKilled", kind: "system", message: "m" },
    recoverable: true,
  },
  {
    code: "OOMKilled",
    origin: K,
    recoverability: R,
    message: "m",
    python: { cls: "RuntimeUnknownError", code: "OOMKilled", kind: "unknown", message: "m" },
    recoverable: true,
  },
  {
    code: "x",
    origin: S,
    recoverability: N,
    message: "m",
    python: { cls: "RuntimeSystemError", code: "x", kind: "system", message: "m" },
    recoverable: false,
  },
  {
    code: "x",
    origin: K,
    recoverability: N,
    message: "m",
    python: { cls: "RuntimeUnknownError", code: "x", kind: "unknown", message: "m" },
    recoverable: false,
  },
  {
    code: "ValueError",
    origin: 5,
    recoverability: R,
    message: "m",
    python: {
      cls: "RuntimeSystemError",
      code: "UnableToConvertError",
      kind: "system",
      message: "(Error in task <task>: <the ExecutionError>)",
    },
    ours: { cls: "RuntimeUnknownError", code: "ValueError", kind: "unknown", why: "unknown-kind" },
    recoverable: true,
  },
  // A recoverability number the schema does not know takes no stance.
  {
    code: "ValueError",
    origin: U,
    recoverability: 5,
    message: "m",
    python: user("ValueError", "RuntimeUserError", "m"),
    ours: { cls: "CustomError", why: "custom-error" },
    recoverable: undefined,
  },
  {
    code: "x",
    origin: S,
    recoverability: 5,
    message: "m",
    python: { cls: "RuntimeSystemError", code: "x", kind: "system", message: "m" },
    recoverable: undefined,
  },
];

// ---------------------------------------------------------------------------------------
// The constructors of `flyte.errors`: what each class is made of when the SDK raises it.
// ---------------------------------------------------------------------------------------

export interface CtorCase {
  /** The Python expression, evaluated against the `errors.py` of `sdk`. */
  readonly py: string;
  /** The flyte-sdk tag whose `errors.py` has the class, when HEAD no longer does. */
  readonly sdk?: string;
  /** flyte-remote's class, and the options that say the same. */
  readonly cls: string;
  readonly options: Readonly<Record<string, unknown>>;
  /**
   * Python's answer; `code` and `kind` are `null` where the class has none. `family` is the
   * nearest of RuntimeUserError, RuntimeSystemError, RuntimeUnknownError, BaseRuntimeError
   * and RuntimeError; `worker` is what the SDK stores (its `"user"` is the bug of passing the
   * kind where the worker goes, which flyte-remote does not copy).
   */
  readonly python: {
    readonly code: string | null;
    readonly kind: PyKind | null;
    readonly message: string;
    readonly family: string;
    readonly worker: string | null;
  };
}

const fixed = (
  cls: string,
  code: string,
  worker: string | null = "user",
  family = "RuntimeUserError",
): CtorCase => ({
  py: `${cls}("m")`,
  cls,
  options: { message: "m" },
  python: { code, kind: "user", message: "m", family, worker },
});

const coded = (cls: string, code: string, family = "RuntimeUserError"): CtorCase => ({
  py: `${cls}("${code}", "m")`,
  cls,
  options: { code, message: "m" },
  python: { code, kind: "user", message: "m", family, worker: null },
});

export const CTOR_CASES: readonly CtorCase[] = [
  {
    py: 'BaseRuntimeError("C", "unknown", "m")',
    cls: "BaseRuntimeError",
    options: { code: "C", kind: "unknown", message: "m" },
    python: { code: "C", kind: "unknown", message: "m", family: "BaseRuntimeError", worker: null },
  },
  {
    py: 'InitializationError("MissingEndpointOrApiKeyError", "user", "m")',
    cls: "InitializationError",
    options: { code: "MissingEndpointOrApiKeyError", message: "m" },
    python: {
      code: "MissingEndpointOrApiKeyError",
      kind: "user",
      message: "m",
      family: "BaseRuntimeError",
      worker: null,
    },
  },
  {
    py: 'RuntimeSystemError("C", "m")',
    cls: "RuntimeSystemError",
    options: { code: "C", message: "m" },
    python: { code: "C", kind: "system", message: "m", family: "RuntimeSystemError", worker: null },
  },
  {
    py: 'UnionRpcError("C", "m")',
    cls: "UnionRpcError",
    options: { code: "C", message: "m" },
    python: { code: "C", kind: "system", message: "m", family: "RuntimeSystemError", worker: null },
  },
  {
    py: 'RuntimeUnknownError("C", "m")',
    cls: "RuntimeUnknownError",
    options: { code: "C", message: "m" },
    python: {
      code: "C",
      kind: "unknown",
      message: "m",
      family: "RuntimeUnknownError",
      worker: null,
    },
  },
  coded("RuntimeUserError", "C"),
  coded("OOMError", "OOMKilled"),
  coded("TaskInterruptedError", "Interrupted"),
  coded("PrimaryContainerNotFoundError", "PrimaryContainerNotFound"),
  coded("RetriesExhaustedError", "RetriesExhausted"),
  coded("InvalidImageNameError", "InvalidImageName"),
  coded("ImagePullBackOffError", "ImagePullBackOff"),
  coded("NotInTaskContextError", "BadContext"),
  {
    py: 'CustomError("ValueError", "m")',
    cls: "CustomError",
    options: { code: "ValueError", message: "m" },
    python: {
      code: "ValueError",
      kind: "user",
      message: "m",
      family: "RuntimeUserError",
      worker: "user",
    },
  },
  fixed("TaskTimeoutError", "TaskTimeoutError"),
  fixed("ConditionTimedoutError", "ConditionTimedoutError"),
  fixed("ConditionAlreadyExistsError", "ConditionAlreadyExistsError"),
  fixed("ConditionFailedError", "ConditionFailedError"),
  fixed("ConditionNotFoundError", "ConditionNotFoundError"),
  fixed("RemoteTaskNotFoundError", "RemoteTaskNotFoundError"),
  fixed("RemoteTaskUsageError", "RemoteTaskUsageError"),
  fixed("DeploymentError", "DeploymentError"),
  fixed("ImageBuildError", "ImageBuildError"),
  fixed("ModuleLoadError", "ModuleLoadError"),
  fixed("InlineIOMaxBytesBreached", "InlineIOMaxBytesBreached"),
  fixed("ActionAbortedError", "ActionAbortedError"),
  fixed("SlowDownError", "SlowDownError"),
  fixed("OnlyAsyncIOSupportedError", "OnlyAsyncIOSupportedError"),
  fixed("ParameterMaterializationError", "ParameterMaterializationError"),
  fixed("RestrictedTypeError", "RestrictedTypeUsage"),
  fixed("CodeBundleError", "CodeBundleError"),
  fixed("TraceDoesNotAllowNestedTasksError", "TraceDoesNotAllowNestedTasksError", null),
  fixed("NonRecoverableError", "NonRecoverableError", null),
  {
    py: 'NonRecoverableError("bad input", code="BadInput")',
    cls: "NonRecoverableError",
    options: { code: "BadInput", message: "bad input" },
    python: {
      code: "BadInput",
      kind: "user",
      message: "bad input",
      family: "RuntimeUserError",
      worker: null,
    },
  },
  {
    py: 'LogsNotYetAvailableError("m")',
    cls: "LogsNotYetAvailableError",
    options: { message: "m" },
    python: {
      code: "LogsNotYetAvailable",
      kind: "system",
      message: "m",
      family: "BaseRuntimeError",
      worker: null,
    },
  },
  {
    py: 'RuntimeDataValidationError("o0", "bad int", "t")',
    cls: "RuntimeDataValidationError",
    options: { var: "o0", e: "bad int", taskName: "t" },
    python: {
      code: "DataValidationError",
      kind: "user",
      message: "In task t variable o0, failed to serialize/deserialize because of bad int",
      family: "RuntimeUserError",
      worker: null,
    },
  },
  {
    py: 'RuntimeDataValidationError("o0", "bad int")',
    cls: "RuntimeDataValidationError",
    options: { var: "o0", e: "bad int" },
    python: {
      code: "DataValidationError",
      kind: "user",
      message: "In task  variable o0, failed to serialize/deserialize because of bad int",
      family: "RuntimeUserError",
      worker: null,
    },
  },
  {
    py: 'InvalidPackageError("libfoo", "E: Unable to locate package libfoo")',
    cls: "InvalidPackageError",
    options: { packageName: "libfoo", originalError: "E: Unable to locate package libfoo" },
    python: {
      code: "InvalidPackageError",
      kind: "user",
      message:
        "Invalid system package detected: 'libfoo'. This package does not exist in apt repositories. Error: E: Unable to locate package libfoo",
      family: "RuntimeUserError",
      worker: null,
    },
  },
  {
    py: 'ActionNotFoundError("m")',
    cls: "ActionNotFoundError",
    options: { message: "m" },
    python: { code: null, kind: null, message: "m", family: "RuntimeError", worker: null },
  },
  { ...fixed("ReferenceTaskError", "ReferenceTaskUsageError"), sdk: "v2.0.0b46" },
  { ...fixed("RunAbortedError", "RunAbortedError"), sdk: "v2.0.0b47" },
];
