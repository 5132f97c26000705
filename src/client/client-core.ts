import { createClient as createRpcClient } from "@connectrpc/connect";
import { RunService } from "../gen/flyteidl2/workflow/run_service_pb.js";
import type { Connections } from "../transport/connections.js";
import { type FailureRead, leanFailureRead, leanRunService } from "./lean-run-service.js";
import type { PollingErrorContext, PollingErrorHook } from "./polling-error.js";
import type { RunServiceClient } from "./run-service-client.js";
import type { RetryOptions, Scope, WatchSettings } from "./settings.js";
import type { TokenSource } from "./token.js";

export type { RunServiceClient } from "./run-service-client.js";

/** What every part of one client shares. */
export class ClientCore {
  /** The RunService client over the client's one transport; the transport places calls. */
  readonly rpc: RunServiceClient;
  private isClosed = false;

  constructor(
    readonly connections: Connections,
    readonly token: TokenSource,
    readonly scope: Scope,
    readonly retry: RetryOptions | false,
    readonly watch: WatchSettings,
    readonly silence: PollingErrorHook,
    readonly onPollingError: ((error: unknown, context: PollingErrorContext) => void) | undefined,
    /** Whether the caller added interceptors, which the lean calls would skip. */
    intercepted: boolean,
  ) {
    const rpc = createRpcClient(RunService, connections.transport);
    const lean = connections.lean;
    this.rpc = lean === undefined || intercepted ? rpc : leanRunService(rpc, lean, token);
    this.readFailure =
      lean === undefined || intercepted
        ? (request, signal) => rpc.getActionDetails(request, signal === undefined ? {} : { signal })
        : leanFailureRead(lean, token);
  }

  /**
   * GetActionDetails for a settling wait that needs the failure: on the lean path, parsed
   * without the task spec, which stays as unknown fields.
   */
  readonly readFailure: FailureRead;

  /** Every credential the client holds now, for the decoders to keep out of errors. */
  secrets(): readonly string[] {
    return this.token.secrets();
  }

  /** True once `close()` was called: loops end instead of retrying. */
  get closed(): boolean {
    return this.isClosed;
  }

  close(): void {
    this.isClosed = true;
    this.connections.close();
  }
}
