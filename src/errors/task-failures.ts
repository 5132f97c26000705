/**
 * Failures of a task that the platform observed: out of memory, interrupted, the image, the
 * retries and the timeout.
 *
 * The decoders recover them from the backend's codes and message texts. All are
 * RuntimeUserErrors, as in Python, even where the backend blames the platform: the kind
 * then says `"system"`, and the class still says what happened.
 */

import { brandClass } from "./brand.js";
import { RuntimeUserError } from "./runtime-error.js";

/** The task ran out of memory (SDK 2.0.0b0). Default code `OOMKilled`, not retryable. */
export class OOMError extends RuntimeUserError {
  declare readonly name: "OOMError";
  static {
    brandClass(this, "OOMError", {
      code: "OOMKilled",
      kind: "user",
      retryable: false,
      status: 422,
      defaultMessage: "The task ran out of memory.",
      hint: "Raise the task's memory request and limit, or lower its working set, then launch a new run.",
    });
  }
}

/**
 * The task was interrupted: SIGKILL, node shutdown or preemption (SDK 2.0.0b0). Default code
 * `Interrupted`, kind `"user"` as in Python (decoders set `"system"` when the backend says
 * so), retryable: the same task can succeed on another node.
 */
export class TaskInterruptedError extends RuntimeUserError {
  declare readonly name: "TaskInterruptedError";
  static {
    brandClass(this, "TaskInterruptedError", {
      code: "Interrupted",
      kind: "user",
      retryable: true,
      status: 422,
      defaultMessage: "The task was interrupted.",
      hint: "Retry the run; if preemption is frequent, add retries or run the task on non-interruptible nodes.",
    });
  }
}

/**
 * The pod had no container of the task's primary name (SDK 2.0.0b0). Default code
 * `PrimaryContainerNotFound`, not retryable.
 */
export class PrimaryContainerNotFoundError extends RuntimeUserError {
  declare readonly name: "PrimaryContainerNotFoundError";
  static {
    brandClass(this, "PrimaryContainerNotFoundError", {
      code: "PrimaryContainerNotFound",
      kind: "user",
      retryable: false,
      status: 422,
      defaultMessage: "The primary container was not found in the pod.",
      hint: "Make the pod template's primary container name match the task's primary_container_name.",
    });
  }
}

/**
 * Every attempt failed (SDK 2.0.0b0). Default code `MaxRetriesExceeded`, not retryable.
 * `attempts` says how many were made.
 */
export class RetriesExhaustedError extends RuntimeUserError {
  declare readonly name: "RetriesExhaustedError";
  static {
    brandClass(this, "RetriesExhaustedError", {
      code: "MaxRetriesExceeded",
      kind: "user",
      retryable: false,
      status: 422,
      defaultMessage: "The task failed after all its retries.",
      hint: "Read the last attempt's error in the logs and fix it before raising retries.",
    });
  }
}

/** The image reference does not parse (SDK 2.0.0b0). Default code `InvalidImageName`. */
export class InvalidImageNameError extends RuntimeUserError {
  declare readonly name: "InvalidImageNameError";
  static {
    brandClass(this, "InvalidImageNameError", {
      code: "InvalidImageName",
      kind: "user",
      retryable: false,
      status: 422,
      defaultMessage: "The container image name is invalid.",
      hint: "Fix the image reference (registry/name:tag, lowercase, no spaces) in the task environment.",
    });
  }
}

/**
 * The image could not be pulled within the grace period (SDK 2.0.0b0). Default code
 * `ImagePullBackOff`, not retryable; a registry rate limit is decoded as kind `"system"` and
 * retryable instead.
 */
export class ImagePullBackOffError extends RuntimeUserError {
  declare readonly name: "ImagePullBackOffError";
  static {
    brandClass(this, "ImagePullBackOffError", {
      code: "ImagePullBackOff",
      kind: "user",
      retryable: false,
      status: 422,
      defaultMessage: "The container image could not be pulled.",
      hint: "Check that the image and tag exist and that the cluster may pull from its registry.",
    });
  }
}

/**
 * The task ran past its timeout on the platform (SDK 2.0.0b0). Default code
 * `TaskTimeoutError`, not retryable. `cause` is the last attempt's error when there was one.
 */
export class TaskTimeoutError extends RuntimeUserError {
  declare readonly name: "TaskTimeoutError";
  static {
    brandClass(this, "TaskTimeoutError", {
      code: "TaskTimeoutError",
      kind: "user",
      retryable: false,
      status: 504,
      defaultMessage: "The task ran longer than its timeout.",
      hint: "Raise the task's timeout or make it faster; check whether it was stuck waiting on resources.",
    });
  }
}
