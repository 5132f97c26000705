/**
 * Test page: flyte-remote/errors alone in a browser. It revives errors that Node
 * serialised, and meets errors made by a second, separately bundled copy of the module
 * (see errors-copy.ts), as happens when an app and a library each bundle their own.
 */

import * as errors from "flyte-remote/errors";
import type { CopyApi, ErrorsPageApi, RevivedError } from "./page-api.js";

type ErrorClass = abstract new (...args: never[]) => Error;

function classNamed(name: string): ErrorClass {
  const cls = (errors as unknown as Record<string, unknown>)[name];
  if (typeof cls !== "function") throw new Error(`flyte-remote/errors exports no ${name}`);
  return cls as ErrorClass;
}

function describe(error: unknown, className: string, baseName: string): RevivedError {
  const flyte = errors.isFlyteError(error) ? error : undefined;
  const bytes = flyte?.details.bytes;
  return {
    name: flyte?.name ?? String(error),
    constructorIsOwnClass: flyte?.constructor === classNamed(className),
    isFlyteError: flyte !== undefined,
    instanceOfFlyteError: error instanceof errors.FlyteError,
    instanceOfClass: error instanceof classNamed(className),
    instanceOfBase: error instanceof classNamed(baseName),
    instanceOfError: error instanceof Error,
    kind: flyte?.kind ?? "",
    code: flyte?.code ?? "",
    retryable: flyte?.retryable ?? false,
    hint: flyte?.hint ?? "",
    bytes: bytes instanceof Uint8Array ? [...bytes] : [],
    json: flyte === undefined ? null : JSON.parse(JSON.stringify(flyte)),
  };
}

function copy(): CopyApi {
  const api = (globalThis as { flyteErrorsCopy?: CopyApi }).flyteErrorsCopy;
  if (api === undefined) throw new Error("the second copy of flyte-remote/errors did not load");
  return api;
}

const api: ErrorsPageApi = {
  revive(json, className, baseName) {
    return describe(errors.FlyteError.fromJSON(json), className, baseName);
  },
  fromOtherCopy(className, baseName) {
    const foreign = copy().make(className);
    const own = describe(foreign, className, baseName);
    return { ...own, constructorIsOwnClass: foreign.constructor === classNamed(className) };
  },
  otherCopyRevives(className) {
    const made = new (
      classNamed(className) as unknown as new (
        options: errors.FlyteErrorOptions,
      ) => errors.FlyteError
    )({ message: "made in the page", kind: "system", code: "C-7" });
    return copy().revive(JSON.parse(JSON.stringify(made)));
  },
};

(globalThis as { flyteErrorsPage?: ErrorsPageApi }).flyteErrorsPage = api;
