import { create } from "@bufbuild/protobuf";
import {
  type ActionDetails,
  ActionDetailsSchema,
  type Run as RunMessage,
} from "../gen/flyteidl2/workflow/run_definition_pb.js";
import { sleep } from "./backoff.js";
import type { ClientCore } from "./client-core.js";
import { Inbox } from "./inbox.js";
import { callUnary } from "./unary-call.js";
import { isSettled, updateKey, type WatchTarget } from "./watch-loop.js";

type Item =
  | { readonly kind: "run"; readonly run: RunMessage }
  | { readonly kind: "resync" }
  | { readonly kind: "fail"; readonly error: unknown };

/**
 * The multiplexed form of the watch loop, for a run's root action: the run's changes come
 * from the project's shared WatchRuns stream, and its full details (the error, the
 * attempts) from one GetActionDetails when it settles, or when the shared stream says
 * changes may have been missed. It keeps the same promises as the per-run loop: every
 * state once, and never an early return.
 */
export async function* watchRunMultiplexed(
  core: ClientCore,
  target: WatchTarget,
  signal: AbortSignal,
): AsyncGenerator<ActionDetails, void, undefined> {
  const inbox = new Inbox<Item>();
  const remove = core.multiplexer(target).add(target.runName, {
    update: (run) => inbox.push({ kind: "run", run }),
    resync: () => inbox.push({ kind: "resync" }),
    fail: (error) => inbox.push({ kind: "fail", error }),
  });
  const delivered = new Set<string>();
  const fresh = (details: ActionDetails): boolean => {
    const key = updateKey(details);
    if (delivered.has(key)) return false;
    delivered.add(key);
    return true;
  };
  try {
    let read = true;
    let endSeen = false;
    for (;;) {
      if (read) {
        read = false;
        const details = await readDetails(core, target, signal);
        if (fresh(details)) yield details;
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
        endSeen = true;
        read = true;
        continue;
      }
      if (fresh(partial)) yield partial;
    }
  } finally {
    remove();
  }
}

async function readDetails(
  core: ClientCore,
  target: WatchTarget,
  signal: AbortSignal,
): Promise<ActionDetails> {
  const response = await callUnary(core, {
    method: "GetActionDetails",
    operation: "read",
    idempotent: true,
    signal,
    runName: target.runName,
    actionName: target.actionName,
    invoke: (client, options) =>
      client.getActionDetails(
        {
          actionId: {
            run: {
              org: target.org,
              project: target.project,
              domain: target.domain,
              name: target.runName,
            },
            name: target.actionName,
          },
        },
        options,
      ),
  });
  return response.details ?? create(ActionDetailsSchema);
}
