/**
 * Where an action's inputs and outputs come from. The backend moved `GetActionData` from
 * RunService to DataProxyService and answers UNIMPLEMENTED for the old one; older servers
 * have only RunService's. So: the data proxy first, RunService when the data proxy is not
 * served, and when neither is, GetActionDataURIs, to say where the data is.
 *
 * The calls are passed in (the client makes them, with its retries and error decoding), so
 * this module makes no RPC of its own and imports nothing from the client.
 */

import { type AnyFlyteError, isFlyteError, RuntimeSystemError } from "../errors/index.js";
import type { Inputs, Outputs } from "../gen/flyteidl2/task/common_pb.js";

/** What either GetActionData answers. */
export interface ActionDataReply {
  readonly inputs?: Inputs | undefined;
  readonly outputs?: Outputs | undefined;
}

/** Storage locations, from GetActionDataURIs; `outputsUri` is empty until the action succeeded. */
export interface ActionDataUris {
  readonly inputsUri: string;
  readonly outputsUri: string;
}

/** The three RPCs, bound to one action; each rejects with a decoded FlyteError. */
export interface ActionDataCalls {
  /** `DataProxyService.GetActionData`. */
  dataProxy(): Promise<ActionDataReply>;
  /** `RunService.GetActionData`. */
  runService(): Promise<ActionDataReply>;
  /** `RunService.GetActionDataURIs`. */
  uris(): Promise<ActionDataUris>;
}

/** Which service answered. */
export type ActionDataSource = "DataProxyService" | "RunService";

/** An action's data and the service it came from. */
export interface ActionData extends ActionDataReply {
  readonly source: ActionDataSource;
}

function unimplemented(error: unknown): error is AnyFlyteError {
  return isFlyteError(error) && error.code === "UNIMPLEMENTED";
}

/**
 * Reads an action's data, falling back from the data proxy to RunService on UNIMPLEMENTED.
 *
 * @throws the decoded error of the call that failed; RuntimeSystemError code
 * `ActionDataUnavailable` when the server serves neither GetActionData, naming the storage
 * locations from GetActionDataURIs in its message and `details` (`inputsUri`, `outputsUri`).
 */
export async function fetchActionData(
  calls: ActionDataCalls,
  subject: string,
): Promise<ActionData> {
  try {
    return { ...(await calls.dataProxy()), source: "DataProxyService" };
  } catch (e) {
    if (!unimplemented(e)) throw e;
  }
  let runServiceError: AnyFlyteError;
  try {
    return { ...(await calls.runService()), source: "RunService" };
  } catch (e) {
    if (!unimplemented(e)) throw e;
    runServiceError = e;
  }
  const uris = await calls.uris().catch(() => undefined);
  const where =
    uris === undefined
      ? "and GetActionDataURIs failed too"
      : `; the inputs are at ${uris.inputsUri || "(unknown)"} and the outputs at ${uris.outputsUri || "(none yet)"}`;
  throw new RuntimeSystemError({
    code: "ActionDataUnavailable",
    message: `the server serves neither DataProxyService.GetActionData nor RunService.GetActionData, so the data of ${subject} cannot be read${where}`,
    cause: runServiceError,
    retryable: false,
    details: uris === undefined ? {} : { inputsUri: uris.inputsUri, outputsUri: uris.outputsUri },
  });
}
