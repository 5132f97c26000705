/**
 * The demo's final report: the table, one explanation per failure, and the verdict.
 * A pure function of the results, so its layout is tested without running anything.
 *
 * @module
 */

import type { DemoCase, DemoOutcome } from "./demo-plan.js";
import { renderTable } from "./render-table.js";
import type { Style } from "./style.js";

/** How one run of the demo went, against its promise. */
export interface CaseResult {
  readonly demo: DemoCase;
  readonly outcome: DemoOutcome;
  /** Empty when the run kept its scenario's promise. */
  readonly problems: readonly string[];
}

/** The report's lines, and whether every promise was kept. */
export interface DemoReport {
  readonly lines: readonly string[];
  readonly allAsExpected: boolean;
}

const none = "-";

function cells(result: CaseResult, style: Style): string[] {
  const { outcome } = result;
  const error = outcome.error;
  const ok = result.problems.length === 0;
  return [
    result.demo.run,
    result.demo.task,
    error === undefined && outcome.unexpected === undefined
      ? style.green(outcome.phaseName)
      : outcome.phaseName,
    error === undefined ? none : style.bold(error.errorClass),
    error?.kind ?? none,
    error?.code ?? none,
    error === undefined ? none : error.retryable ? "yes" : "no",
    String(outcome.attempts),
    error === undefined ? none : String(error.status),
    ok ? style.green("✓") : style.red("✗"),
  ];
}

/** Renders the report. */
export function renderDemoReport(results: readonly CaseResult[], style: Style): DemoReport {
  const table = renderTable(
    [
      { header: "run" },
      { header: "task" },
      { header: "final phase" },
      { header: "error class" },
      { header: "kind" },
      { header: "code" },
      { header: "retryable" },
      { header: "attempts", align: "right" },
      { header: "HTTP status", align: "right" },
      { header: "ok" },
    ],
    results.map((r) => cells(r, style)),
    style.bold,
  );
  const lines = [...table, ""];
  const failures = results.filter((r) => r.outcome.error !== undefined);
  if (failures.length > 0) {
    lines.push("What to do about each failure:");
    const width = Math.max(...failures.map((r) => r.demo.run.length));
    for (const r of failures) {
      lines.push(
        `  ${r.demo.run.padEnd(width)}  ${r.outcome.error?.errorClass}: ${r.outcome.error?.hint}`,
      );
    }
    lines.push("");
  }
  for (const r of results) {
    if (r.demo.note !== undefined)
      lines.push(`Note: ${r.demo.run} (${r.demo.task}) ${r.demo.note}.`);
  }
  const broken = results.filter((r) => r.problems.length > 0);
  if (broken.length === 0) {
    const succeeded = results.length - failures.length;
    lines.push(
      style.green(
        `All ${results.length} outcomes were as expected: ${succeeded} succeeded and ${failures.length} failed with the typed error their scenario promises.`,
      ),
    );
  } else {
    for (const r of broken) {
      lines.push(style.red(`✗ ${r.demo.run} (${r.demo.task}): ${r.problems.join("; ")}`));
    }
    lines.push(style.red(`${broken.length} of ${results.length} outcomes were NOT as expected.`));
  }
  return { lines, allAsExpected: broken.length === 0 };
}
