/**
 * How every service of the test server finds the run or action a request names, and
 * applies the run's call faults (`unavailable`, `slow-down`) to it.
 *
 * @module
 */

import { Code, ConnectError } from "@connectrpc/connect";
import type { ActionIdentifier, RunIdentifier } from "../gen/flyteidl2/common/identifier_pb.js";
import { RetryInfoSchema } from "../gen/google/rpc/error_details_pb.js";
import type { FaultState } from "./fault-plan.js";
import type { RunRecord, RunStoreImpl } from "./memory-run-store.js";

/** The delay `slow-down` asks clients to wait, in milliseconds. */
export const slowDownRetryDelayMs = 200;

/** Finds runs and actions for requests, as the backend does, with the run's call faults. */
export class RunLookup {
  constructor(private readonly store: RunStoreImpl) {}

  /** Throws the call fault due for `method`, if any. */
  failCall(faults: FaultState, method: string): void {
    const fault = faults.nextCall(method);
    if (fault === "unavailable") {
      throw new ConnectError("service unavailable (test fault)", Code.Unavailable);
    }
    if (fault === "slow-down") {
      throw new ConnectError(
        "too many requests, slow down (test fault)",
        Code.ResourceExhausted,
        undefined,
        [
          {
            desc: RetryInfoSchema,
            value: { retryDelay: { seconds: 0n, nanos: slowDownRetryDelayMs * 1_000_000 } },
          },
        ],
      );
    }
  }

  /** The run, or NOT_FOUND; an empty org, project or domain means the store's default. */
  findRun(id: RunIdentifier | undefined, method: string): RunRecord {
    if (id === undefined || id.name === "") {
      throw new ConnectError("run_id with a run name is required", Code.InvalidArgument);
    }
    const record = this.store.record(id.name);
    const d = this.store.defaults;
    if (
      record === undefined ||
      (id.org || d.org) !== record.id.org ||
      (id.project || d.project) !== record.id.project ||
      (id.domain || d.domain) !== record.id.domain
    ) {
      throw new ConnectError(
        `run ${id.project || d.project}/${id.domain || d.domain}/${id.name} not found`,
        Code.NotFound,
      );
    }
    this.failCall(record.faults, method);
    return record;
  }

  /** The run of an action, or NOT_FOUND; runs have one action, `a0`. */
  findAction(id: ActionIdentifier | undefined, method: string): RunRecord {
    if (id === undefined) {
      throw new ConnectError("action_id is required", Code.InvalidArgument);
    }
    const record = this.findRun(id.run, method);
    if (id.name !== record.model.action) {
      throw new ConnectError(`action ${id.name} of run ${record.id.name} not found`, Code.NotFound);
    }
    return record;
  }
}
