/**
 * The errors of getting code onto the platform: deploying, building the image, bundling
 * the code, and loading it in the container. All are RuntimeUserErrors of kind user.
 */

import { brandClass } from "./brand.js";
import type { FlyteErrorOptions } from "./fields.js";
import { RuntimeUserError } from "./runtime-error.js";

/** Deploying a task failed (SDK 2.0.0b0). Code `DeploymentError`, not retryable. */
export class DeploymentError extends RuntimeUserError {
  declare readonly name: "DeploymentError";
  static {
    brandClass(this, "DeploymentError", {
      code: "DeploymentError",
      kind: "user",
      retryable: false,
      status: 422,
      defaultMessage: "The deployment failed.",
      hint: "Check the deployment's preconditions named in the message and deploy again.",
    });
  }
}

/** Building the image failed (SDK 2.0.0b0). Code `ImageBuildError`, not retryable. */
export class ImageBuildError extends RuntimeUserError {
  declare readonly name: "ImageBuildError";
  static {
    brandClass(this, "ImageBuildError", {
      code: "ImageBuildError",
      kind: "user",
      retryable: false,
      status: 422,
      defaultMessage: "The image build failed.",
      hint: "Read the image build log; fix the failing package or build step.",
    });
  }
}

/** The task's module did not load (SDK 2.0.0b5). Code `ModuleLoadError`, not retryable. */
export class ModuleLoadError extends RuntimeUserError {
  declare readonly name: "ModuleLoadError";
  static {
    brandClass(this, "ModuleLoadError", {
      code: "ModuleLoadError",
      kind: "user",
      retryable: false,
      status: 422,
      defaultMessage: "The task's module could not be loaded.",
      hint: "Check the module exists in the image or code bundle and imports without a syntax error.",
    });
  }
}

/**
 * The code bundle could not be created, for example because no files were found to bundle
 * (SDK 2.0.0b53). Code `CodeBundleError`.
 */
export class CodeBundleError extends RuntimeUserError {
  declare readonly name: "CodeBundleError";
  static {
    brandClass(this, "CodeBundleError", {
      code: "CodeBundleError",
      kind: "user",
      retryable: false,
      status: 422,
      defaultMessage: "The code bundle could not be created.",
      hint: "Run from the project's root and check the files to bundle are not all ignored.",
    });
  }
}

/** Options of {@link InvalidPackageError}, the Python SDK's `(package_name, original_error)`. */
export interface InvalidPackageErrorOptions extends FlyteErrorOptions {
  /** The system package that does not exist. */
  packageName: string;
  /** What the package manager said. */
  originalError: string;
}

/**
 * The image names a system package that does not exist in the apt repositories
 * (SDK 2.0.2). Code `InvalidPackageError`; the message has the SDK's wording unless one is
 * given.
 */
export class InvalidPackageError extends RuntimeUserError {
  declare readonly name: "InvalidPackageError";
  readonly packageName: string;
  readonly originalError: string;
  constructor(options: InvalidPackageErrorOptions) {
    super({
      ...options,
      message:
        options.message ??
        `Invalid system package detected: '${options.packageName}'. This package does not exist in apt repositories. Error: ${options.originalError}`,
    });
    this.packageName = options.packageName;
    this.originalError = options.originalError;
  }
  static {
    brandClass(this, "InvalidPackageError", {
      code: "InvalidPackageError",
      kind: "user",
      retryable: false,
      status: 422,
      defaultMessage: "The image names a system package that does not exist.",
      hint: "Fix the package's name in the image's apt packages, or add the repository that provides it.",
    });
  }
}
