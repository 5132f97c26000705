/** Opens one TailLogs stream, on either of the two services that have one. */

import { createClient, type Transport } from "@connectrpc/connect";
import type { ActionIdentifier } from "../gen/flyteidl2/common/identifier_pb.js";
import { DataProxyService } from "../gen/flyteidl2/dataproxy/dataproxy_service_pb.js";
import { RunLogsService } from "../gen/flyteidl2/workflow/run_logs_service_pb.js";
import type { LogService, TailReply } from "./follow-logs.js";

/**
 * The lines of one attempt's pod, from `service` over `transport`; `podName` empty means
 * the primary pod (RunLogsService always reads the primary pod).
 */
export function tailLogs(
  transport: Transport,
  actionId: ActionIdentifier,
  service: LogService,
  attempt: number,
  podName: string,
  signal: AbortSignal,
): AsyncIterable<TailReply> {
  return service === "DataProxyService"
    ? createClient(DataProxyService, transport).tailLogs({ actionId, attempt, podName }, { signal })
    : createClient(RunLogsService, transport).tailLogs({ actionId, attempt }, { signal });
}
