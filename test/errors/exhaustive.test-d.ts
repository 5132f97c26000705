import { describe, expectTypeOf, it } from "vitest";
import type {
  AnyFlyteError,
  CustomError,
  FlyteErrorName,
  OOMError,
  ResourceExhaustedError,
  RuntimeDataValidationError,
  SlowDownError,
  UnionRpcError,
} from "../../src/errors/index.js";
import { isFlyteError } from "../../src/errors/index.js";

/** A switch that handles every class; the `never` assignment proves nothing was left out. */
function describeAll(err: AnyFlyteError): string {
  switch (err.name) {
    case "BaseRuntimeError":
    case "RuntimeUserError":
    case "RuntimeSystemError":
    case "RuntimeUnknownError":
    case "InitializationError":
    case "OOMError":
    case "TaskInterruptedError":
    case "PrimaryContainerNotFoundError":
    case "RetriesExhaustedError":
    case "InvalidImageNameError":
    case "ImagePullBackOffError":
    case "NotInTaskContextError":
    case "CustomError":
    case "NonRecoverableError":
    case "TaskTimeoutError":
    case "DeploymentError":
    case "ImageBuildError":
    case "ModuleLoadError":
    case "InlineIOMaxBytesBreached":
    case "OnlyAsyncIOSupportedError":
    case "ReferenceTaskError":
    case "LogsNotYetAvailableError":
    case "ActionNotFoundError":
    case "AuthenticationError":
    case "PermissionDeniedError":
    case "UnionRpcError":
    case "RunAbortedError":
    case "ActionAbortedError":
    case "ParameterMaterializationError":
    case "RestrictedTypeError":
    case "TraceDoesNotAllowNestedTasksError":
    case "CodeBundleError":
    case "RemoteTaskNotFoundError":
    case "RemoteTaskUsageError":
    case "ConditionTimedoutError":
    case "ConditionAlreadyExistsError":
    case "ConditionFailedError":
    case "ConditionNotFoundError":
      return err.code;
    case "RuntimeDataValidationError":
      return err.var;
    case "InvalidPackageError":
      return err.packageName;
    case "SlowDownError":
    case "ResourceExhaustedError":
      return String(err.retryAfterMs);
    default: {
      const unreachable: never = err;
      return unreachable;
    }
  }
}

/**
 * The negative fixture: OOMError is missing, so `err` is still OOMError in `default` and the
 * assignment to `never` must fail to compile. If it ever compiled, the `@ts-expect-error`
 * would itself be an error and this file would fail the typecheck.
 */
function missingOom(err: AnyFlyteError): string {
  switch (err.name) {
    case "BaseRuntimeError":
    case "RuntimeUserError":
    case "RuntimeSystemError":
    case "RuntimeUnknownError":
    case "InitializationError":
    case "TaskInterruptedError":
    case "PrimaryContainerNotFoundError":
    case "RetriesExhaustedError":
    case "InvalidImageNameError":
    case "ImagePullBackOffError":
    case "NotInTaskContextError":
    case "CustomError":
    case "NonRecoverableError":
    case "TaskTimeoutError":
    case "DeploymentError":
    case "ImageBuildError":
    case "ModuleLoadError":
    case "InlineIOMaxBytesBreached":
    case "OnlyAsyncIOSupportedError":
    case "ReferenceTaskError":
    case "RuntimeDataValidationError":
    case "SlowDownError":
    case "RunAbortedError":
    case "ActionAbortedError":
    case "UnionRpcError":
    case "AuthenticationError":
    case "PermissionDeniedError":
    case "LogsNotYetAvailableError":
    case "ActionNotFoundError":
    case "ResourceExhaustedError":
    case "InvalidPackageError":
    case "ParameterMaterializationError":
    case "RestrictedTypeError":
    case "TraceDoesNotAllowNestedTasksError":
    case "CodeBundleError":
    case "RemoteTaskNotFoundError":
    case "RemoteTaskUsageError":
    case "ConditionTimedoutError":
    case "ConditionAlreadyExistsError":
    case "ConditionFailedError":
    case "ConditionNotFoundError":
      return err.code;
    default: {
      expectTypeOf(err).toEqualTypeOf<OOMError>();
      // @ts-expect-error OOMError is not handled, so err is not never.
      const unreachable: never = err;
      return unreachable;
    }
  }
}

describe("AnyFlyteError", () => {
  it("has exactly one member per class name", () => {
    expectTypeOf<AnyFlyteError["name"]>().toEqualTypeOf<FlyteErrorName>();
    expectTypeOf(describeAll).returns.toEqualTypeOf<string>();
    expectTypeOf(missingOom).returns.toEqualTypeOf<string>();
  });

  it("narrows on name to the class and its own fields", () => {
    const err = {} as AnyFlyteError;
    if (err.name === "SlowDownError") {
      expectTypeOf(err).toMatchTypeOf<SlowDownError>();
      expectTypeOf(err.name).toEqualTypeOf<"SlowDownError">();
      expectTypeOf(err.retryAfterMs).toEqualTypeOf<number | undefined>();
    }
    if (err.name === "ResourceExhaustedError") {
      expectTypeOf(err).toEqualTypeOf<ResourceExhaustedError>();
      expectTypeOf(err).toMatchTypeOf<SlowDownError>();
      expectTypeOf(err.retryAfterMs).toEqualTypeOf<number | undefined>();
    }
    if (err.name === "InvalidPackageError") {
      expectTypeOf(err.packageName).toEqualTypeOf<string>();
      expectTypeOf(err.originalError).toEqualTypeOf<string>();
    }
    expectTypeOf(err.recoverable).toEqualTypeOf<boolean | undefined>();
    if (err.name === "RuntimeDataValidationError") {
      expectTypeOf(err).toEqualTypeOf<RuntimeDataValidationError>();
    }
    if (err.name === "UnionRpcError") {
      expectTypeOf(err).toMatchTypeOf<UnionRpcError>();
      expectTypeOf(err.rpcCode).toEqualTypeOf<number | undefined>();
    }
  });

  it("is what isFlyteError narrows unknown to", () => {
    const value: unknown = null;
    if (isFlyteError(value)) {
      expectTypeOf(value).toEqualTypeOf<AnyFlyteError>();
      expectTypeOf(value.kind).toEqualTypeOf<"user" | "system" | "unknown">();
    }
  });

  it("keeps a Flyte error's type through fromException", () => {
    const custom = {} as typeof CustomError;
    expectTypeOf(custom.fromException({} as OOMError)).toEqualTypeOf<OOMError>();
    expectTypeOf(custom.fromException(new Error("x"))).toEqualTypeOf<CustomError | AnyFlyteError>();
  });
});
