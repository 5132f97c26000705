/**
 * The errors of conditions, which a task registers and then waits on until they are
 * signalled (SDK 2.5.0; 2.3.8 to 2.4.4 called them events). All are RuntimeUserErrors of
 * kind user with fixed codes equal to their names.
 */

import { brandClass } from "./brand.js";
import { RuntimeUserError } from "./runtime-error.js";

/** A condition was not signalled within its timeout. Code `ConditionTimedoutError`. */
export class ConditionTimedoutError extends RuntimeUserError {
  declare readonly name: "ConditionTimedoutError";
  static {
    brandClass(this, "ConditionTimedoutError", {
      code: "ConditionTimedoutError",
      kind: "user",
      retryable: false,
      status: 504,
      defaultMessage: "The condition was not signalled within its timeout.",
      hint: "Signal the condition sooner, or give the wait a longer timeout.",
    });
  }
}

/** A condition of that name already exists in the action. Code `ConditionAlreadyExistsError`. */
export class ConditionAlreadyExistsError extends RuntimeUserError {
  declare readonly name: "ConditionAlreadyExistsError";
  static {
    brandClass(this, "ConditionAlreadyExistsError", {
      code: "ConditionAlreadyExistsError",
      kind: "user",
      retryable: false,
      status: 409,
      defaultMessage: "The condition already exists.",
      hint: "Give each condition of an action its own name, or wait on the existing one.",
    });
  }
}

/**
 * The condition failed: the backend could not process it, or it was marked failed.
 * Code `ConditionFailedError`.
 */
export class ConditionFailedError extends RuntimeUserError {
  declare readonly name: "ConditionFailedError";
  static {
    brandClass(this, "ConditionFailedError", {
      code: "ConditionFailedError",
      kind: "user",
      retryable: false,
      status: 422,
      defaultMessage: "The condition failed.",
      hint: "Read the message for why the condition was marked failed, and who failed it.",
    });
  }
}

/** No condition of that name exists. Code `ConditionNotFoundError`. */
export class ConditionNotFoundError extends RuntimeUserError {
  declare readonly name: "ConditionNotFoundError";
  static {
    brandClass(this, "ConditionNotFoundError", {
      code: "ConditionNotFoundError",
      kind: "user",
      retryable: false,
      status: 404,
      defaultMessage: "The condition does not exist.",
      hint: "Check the condition's name, and that it was registered before it is signalled.",
    });
  }
}
