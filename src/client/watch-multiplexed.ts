import { create } from "@bufbuild/protobuf";
import { isSuccessPhase } from "../decode/index.js";
import {
  type ActionDetails,
  ActionDetailsSchema,
  type Run as RunMessage,
} from "../gen/flyteidl2/workflow/run_definition_pb.js";
import { sleep } from "./backoff.js";
import type { ClientCore } from "./client-core.js";
import { FailureGate } from "./failure-gate.js";
import { Inbox } from "./inbox.js";
import { UpdateFilter } from "./update-filter.js";
import { isSettled, type WatchTarget } from "./watch-loop.js";

type Item =
  | { readonly kind: "run"; readonly run: RunMessage }
  | { readonly kind: "resync" }
  | { readonly kind: "fail"; readonly error: unknown };

/**
 * The multiplexed form of the watch loop, for a run's root action: the run's changes come
 * from the project's shared WatchRuns stream, and its full details (the error, the
 * attempts) from a GetActionDetails read when it fails, when it joined after the stream's
 * snapshot, or when the shared stream says changes may have been missed. A run that
 * succeeds settles on the status WatchRuns reported, without a read. It keeps the per-run loop's promises: every state once,
 * in order, and never an early return. A failed read is judged and retried like a failed
 * stream.
 */
export async function* watchRunMultiplexed(
  core: ClientCore,
  target: WatchTarget,
  signal: AbortSignal,
): AsyncGenerator<ActionDetails, void, undefined> {
  const inbox = new Inbox<Item>();
  const { remove, live } = core.multiplexer(target).add(target.runName, {
    update: (run) => inbox.push({ kind: "run", run }),
    resync: () => inbox.push({ kind: "resync" }),
    fail: (error) => inbox.push({ kind: "fail", error }),
  });
  const filter = new UpdateFilter();
  const gate = new FailureGate(core, target.runName, target.actionName);
  try {
    // Before the shared stream's snapshot, the snapshot brings the current state.
    let read = live;
    let endSeen = false;
    for (;;) {
      if (read) {
        const details = await readDetails(core, target, gate, signal);
        read = false;
        if (filter.accept(details)) yield details;
        if (isSettled(details)) return;
        if (endSeen) {
          // The shared stream said the run ended before its details did; read again.
          await sleep(core.watch.pollIntervalMs, signal);
          read = true;
          continue;
        }
      }
      const item = await inbox.next(signal);
      if (item.kind === "fail") throw item.error;
      if (item.kind === "resync") {
        read = true;
        continue;
      }
      const partial = create(ActionDetailsSchema, {
        ...(item.run.action?.id ? { id: item.run.action.id } : {}),
        ...(item.run.action?.metadata ? { metadata: item.run.action.metadata } : {}),
        ...(item.run.action?.status ? { status: item.run.action.status } : {}),
      });
      if (isSettled(partial)) {
        // Success needs nothing more than the status; a failure needs the error, which
        // only the action's details carry.
        if (isSuccessPhase(partial.status?.phase ?? 0)) {
          if (filter.accept(partial)) yield partial;
          return;
        }
        endSeen = true;
        read = true;
        continue;
      }
      if (filter.accept(partial)) yield partial;
    }
  } finally {
    remove();
  }
}

/** Reads the action's details, retrying transient failures under the watch rules. */
async function readDetails(
  core: ClientCore,
  target: WatchTarget,
  gate: FailureGate,
  signal: AbortSignal,
): Promise<ActionDetails> {
  const actionId = {
    run: { org: target.org, project: target.project, domain: target.domain, name: target.runName },
    name: target.actionName,
  };
  for (;;) {
    gate.attempt();
    try {
      const response = await core.unaryClient().getActionDetails({ actionId }, { signal });
      gate.delivered();
      return response.details ?? create(ActionDetailsSchema);
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      const decoded = gate.decode(error, "GetActionDetails");
      if (gate.judge(decoded, "GetActionDetails")) throw decoded;
      await gate.pause(decoded, signal);
    }
  }
}
