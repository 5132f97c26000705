/**
 * One outcome's whole timeline, played through a raw RunService client. Shared by the
 * server's scenario suite (the Node HTTP stack over every protocol) and the msw handlers' suite
 * (connect-web over fetch), which differ in what they assert, not in how they play it.
 */

import type { Client } from "@connectrpc/connect";
import { ActionPhase } from "../../src/gen/flyteidl2/common/phase_pb.js";
import type { ActionDetails } from "../../src/gen/flyteidl2/workflow/run_definition_pb.js";
import type {
  CreateRunResponse,
  RunService,
} from "../../src/gen/flyteidl2/workflow/run_service_pb.js";
import type { OutcomeInfo } from "../../src/testing/index.js";

/** What playing the timeline showed. */
export interface PlayedTimeline {
  readonly created: CreateRunResponse;
  /** The phase of every WatchRuns change of the run, QUEUED included. */
  readonly seenByWatchRuns: readonly number[];
  /** Every WatchActionDetails message of the root action, to the end of the stream. */
  readonly watched: readonly ActionDetails[];
  /** GetActionDetails once the watch ended. */
  readonly fetched: ActionDetails;
  /** The outcome's terminal phase; a run that pauses is aborted, so ABORTED. */
  readonly finalPhase: number;
}

/**
 * Subscribes WatchRuns before the run exists, so it sees every change however fast the
 * timeline runs; creates the run; follows its root action's WatchActionDetails to the end,
 * aborting the run once it pauses; then reads its final details.
 */
export async function playTimeline(
  client: Client<typeof RunService>,
  info: OutcomeInfo,
  name: string,
): Promise<PlayedTimeline> {
  const runId = { org: "", project: "flytesnacks", domain: "development", name };
  const actionId = { run: runId, name: "a0" };
  const finalPhase = info.terminal ? info.finalPhase : ActionPhase.ABORTED;

  // Ended through its signal: connect-web ends a fetch only that way, not by leaving a loop.
  const stopRuns = new AbortController();
  const runsStream = client
    .watchRuns(
      { target: { case: "taskId", value: { name: info.name } } },
      { signal: stopRuns.signal },
    )
    [Symbol.asyncIterator]();
  await runsStream.next();
  const created = await client.createRun({
    id: { case: "runId", value: runId },
    task: { case: "taskId", value: { name: info.name } },
  });

  const seenByWatchRuns: number[] = [];
  const watchRuns = (async () => {
    for (;;) {
      const next = await runsStream.next();
      if (next.done === true) break;
      for (const run of next.value.runs) {
        if (run.action?.id?.run?.name === name)
          seenByWatchRuns.push(run.action.status?.phase ?? -1);
      }
      if (seenByWatchRuns.at(-1) === finalPhase) break;
    }
    stopRuns.abort();
  })();

  const watched: ActionDetails[] = [];
  for await (const msg of client.watchActionDetails({ actionId })) {
    if (msg.details === undefined) throw new Error("message without details");
    watched.push(msg.details);
    if (!info.terminal && msg.details.status?.phase === ActionPhase.PAUSED) {
      await client.abortRun({ runId, reason: "no longer needed" });
    }
  }
  await watchRuns;

  const fetched = (await client.getActionDetails({ actionId })).details as ActionDetails;
  return { created, seenByWatchRuns, watched, fetched, finalPhase };
}
