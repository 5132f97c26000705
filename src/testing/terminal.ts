/**
 * When an action's state is final. Watches end there, and so do timelines.
 *
 * @module
 */

import { ActionPhase } from "../gen/flyteidl2/common/phase_pb.js";
import type { ActionDetails } from "../gen/flyteidl2/workflow/run_definition_pb.js";

const terminalPhases: ReadonlySet<number> = new Set([
  ActionPhase.SUCCEEDED,
  ActionPhase.FAILED,
  ActionPhase.ABORTED,
  ActionPhase.TIMED_OUT,
  ActionPhase.RECOVERED,
]);
const knownPhases: ReadonlySet<number> = new Set(
  Object.values(ActionPhase).filter((v): v is number => typeof v === "number"),
);

/**
 * Whether details are final: a terminal phase, or a phase this schema does not
 * know that carries `status.end_time` (a newer server's terminal phase).
 */
export function isTerminalDetails(details: ActionDetails): boolean {
  const phase = details.status?.phase ?? ActionPhase.UNSPECIFIED;
  if (terminalPhases.has(phase)) return true;
  return !knownPhases.has(phase) && details.status?.endTime !== undefined;
}
