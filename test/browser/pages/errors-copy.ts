/**
 * Test page part: a second copy of flyte-remote/errors, bundled on its own, standing for a
 * library that ships its own copy next to the app's.
 */

import * as errors from "flyte-remote/errors";
import type { CopyApi } from "./page-api.js";

const api: CopyApi = {
  make(className) {
    const cls = (errors as unknown as Record<string, unknown>)[className] as new (
      options: errors.FlyteErrorOptions,
    ) => errors.FlyteError;
    return new cls({ message: "made by the other copy", kind: "system", code: "C-9" });
  },
  revive(json) {
    const error = errors.FlyteError.fromJSON(json);
    return { name: error.name, kind: error.kind, code: error.code, message: error.rawMessage };
  },
};

(globalThis as { flyteErrorsCopy?: CopyApi }).flyteErrorsCopy = api;
