import type { MessageInitShape } from "@bufbuild/protobuf";
import { parseDetailsWithoutSpec } from "../decode/details-without-spec.js";
import {
  type GetActionDetailsRequestSchema,
  type GetActionDetailsResponse,
  RunService,
} from "../gen/flyteidl2/workflow/run_service_pb.js";
import type { LeanRpc } from "../transport/connections.js";
import type { RunServiceClient } from "./run-service-client.js";
import type { TokenSource } from "./token.js";

/**
 * The RunService client with its hot methods on the lean gRPC path: the detail reads
 * (`GetActionDetails`) and the two watches (`WatchActionDetails`, `WatchRuns`), which
 * thousands of settling waits make at once. Every other method stays on connect-es.
 *
 * Used only when the caller passes no interceptors: the lean path runs none. It sends the
 * token as the client's own interceptor would, and a token provider that throws fails the
 * call the same way.
 */
export function leanRunService(
  connect: RunServiceClient,
  lean: LeanRpc,
  token: TokenSource,
): RunServiceClient {
  const auth = async (): Promise<Record<string, string>> => {
    const pending = token.get();
    return pending === undefined ? {} : { authorization: `Bearer ${await pending}` };
  };
  return {
    ...connect,
    async getActionDetails(request, options) {
      return lean.unary(RunService.method.getActionDetails, request, await auth(), options?.signal);
    },
    async *watchActionDetails(request, options) {
      const headers = await auth();
      yield* lean.stream(RunService.method.watchActionDetails, request, headers, options?.signal);
    },
    async *watchRuns(request, options) {
      const headers = await auth();
      yield* lean.stream(RunService.method.watchRuns, request, headers, options?.signal);
    },
  };
}

/** Reads an action's details for a settling wait's failure; see {@link ClientCore}. */
export type FailureRead = (
  request: MessageInitShape<typeof GetActionDetailsRequestSchema>,
  signal: AbortSignal | undefined,
) => Promise<GetActionDetailsResponse>;

/**
 * The detail read of a failed run on the lean path, parsed without the task spec (see
 * `parseDetailsWithoutSpec`): thousands of settling failures need their errors, not their
 * specs, which were most of each read's parsing.
 */
export function leanFailureRead(lean: LeanRpc, token: TokenSource): FailureRead {
  return async (request, signal) => {
    const pending = token.get();
    const headers = pending === undefined ? {} : { authorization: `Bearer ${await pending}` };
    return lean.unary(
      RunService.method.getActionDetails,
      request,
      headers,
      signal,
      parseDetailsWithoutSpec,
    );
  };
}
