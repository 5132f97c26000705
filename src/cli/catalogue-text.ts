/**
 * The scenario catalogue as `serve` prints it: what each task name does, and what a
 * correct client concludes from it.
 *
 * @module
 */

import { phaseName } from "../decode/index.js";
import type { FaultInfo, OutcomeInfo } from "../testing/index.js";
import { renderTable } from "./render-table.js";

/** The promised conclusion of an outcome: `SUCCEEDED`, or `FAILED → OOMError (user)`. */
export function promiseOf(info: OutcomeInfo): string {
  const phase = phaseName(info.finalPhase);
  if (info.errorClass === undefined) return info.terminal ? phase : `${phase} (until aborted)`;
  return `${phase} → ${info.errorClass} (${info.errorKind ?? "unknown"})`;
}

/** The catalogue as lines: a table of outcomes, then one of faults. */
export function renderCatalogue(
  outcomes: readonly OutcomeInfo[],
  faults: readonly FaultInfo[],
  decorateHeader?: (text: string) => string,
): string[] {
  return [
    "Outcomes (the task name of CreateRun picks one):",
    ...renderTable(
      [{ header: "task" }, { header: "ends as" }, { header: "what happens" }],
      outcomes.map((o) => [o.name, promiseOf(o), o.description]),
      decorateHeader,
    ).map((line) => `  ${line}`),
    "",
    "Faults (prefix an outcome with them, joined by +, e.g. stream-drop+oom):",
    ...renderTable(
      [{ header: "fault" }, { header: "hits" }, { header: "what happens" }],
      faults.map((f) => [f.name, f.affects === "watch" ? "watches" : "calls", f.description]),
      decorateHeader,
    ).map((line) => `  ${line}`),
  ];
}
