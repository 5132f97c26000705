/**
 * The demo's final report: the table, one explanation per failure, and the verdict.
 * A pure function of the results, so its layout is tested without running anything.
 *
 * @module
 */

import type { DemoCase, DemoOutcome } from "./demo-plan.js";
import { type Column, renderTable } from "./render-table.js";
import { type Style, visibleWidth, wrapWords } from "./style.js";

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
    mark(result, style),
  ];
}

const columns: readonly Column[] = [
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
];

function mark(result: CaseResult, style: Style): string {
  return result.problems.length === 0 ? style.green("✓") : style.red("✗");
}

/**
 * The narrow layout: a block per run, one fact per labelled line, for terminals too
 * narrow for the table (it takes about 150 columns).
 */
function stacked(results: readonly CaseResult[], style: Style): string[] {
  const lines: string[] = [];
  for (const result of results) {
    const { outcome } = result;
    const error = outcome.error;
    const attempts = `${outcome.attempts} attempt${outcome.attempts === 1 ? "" : "s"}`;
    const phase =
      error === undefined && outcome.unexpected === undefined
        ? style.green(outcome.phaseName)
        : outcome.phaseName;
    lines.push(`${mark(result, style)} ${style.bold(result.demo.run)}  ${result.demo.task}`);
    lines.push(`    final phase  ${phase} (${attempts})`);
    if (error !== undefined) {
      lines.push(`    error class  ${style.bold(error.errorClass)}`);
      lines.push(`    kind, code   ${error.kind}, ${error.code}`);
      lines.push(`    retryable    ${error.retryable ? "yes" : "no"}; HTTP status ${error.status}`);
    }
  }
  return lines;
}

/**
 * Renders the report. Given the terminal's `width`, it fits it: the table when it fits,
 * otherwise a block per run, and prose wrapped at spaces. Without a width (a pipe, a
 * file) it is always the table, one line per run, for tools to read.
 */
export function renderDemoReport(
  results: readonly CaseResult[],
  style: Style,
  width?: number,
): DemoReport {
  const rows = results.map((r) => cells(r, style));
  let table = renderTable(columns, rows, style.bold);
  const fits = width === undefined || table.every((line) => visibleWidth(line) <= width);
  if (!fits) table = stacked(results, style);
  const prose = (text: string, indent: string) =>
    width === undefined ? [text] : wrapWords(text, width, indent);
  const lines = [...table, ""];
  const failures = results.filter((r) => r.outcome.error !== undefined);
  if (failures.length > 0) {
    lines.push("What to do about each failure:");
    const runWidth = Math.max(...failures.map((r) => r.demo.run.length));
    const indent = " ".repeat(runWidth + 4);
    for (const r of failures) {
      const hint = `${r.outcome.error?.errorClass}: ${r.outcome.error?.hint}`;
      lines.push(...prose(`  ${r.demo.run.padEnd(runWidth)}  ${hint}`, indent));
    }
    lines.push("");
  }
  for (const r of results) {
    if (r.demo.note !== undefined)
      lines.push(...prose(`Note: ${r.demo.run} (${r.demo.task}) ${r.demo.note}.`, "  "));
  }
  const broken = results.filter((r) => r.problems.length > 0);
  if (broken.length === 0) {
    const succeeded = results.length - failures.length;
    const verdict = `All ${results.length} outcomes were as expected: ${succeeded} succeeded and ${failures.length} failed with the typed error their scenario promises.`;
    lines.push(...prose(verdict, "").map(style.green));
  } else {
    for (const r of broken) {
      lines.push(
        ...prose(`✗ ${r.demo.run} (${r.demo.task}): ${r.problems.join("; ")}`, "  ").map(style.red),
      );
    }
    lines.push(style.red(`${broken.length} of ${results.length} outcomes were NOT as expected.`));
  }
  return { lines, allAsExpected: broken.length === 0 };
}
