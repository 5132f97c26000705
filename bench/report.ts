/** The shape every benchmark returns, printed as tables and written to bench/results.json. */

import { type Row, renderTable } from "./table.js";

/** A figure checked against its published target. Checked by reading, never fatal. */
export interface TargetCheck {
  /** What is measured, e.g. `decode/raw ratio`. */
  readonly figure: string;
  readonly value: number;
  /** The target as the issue states it, e.g. `<= 1.5`. */
  readonly target: string;
  readonly met: boolean;
}

/** One printed table of a benchmark. */
export interface Table {
  readonly title: string;
  readonly header: Row;
  readonly rows: readonly Row[];
}

/** What one benchmark produced. */
export interface BenchResult {
  /** Short id, as `--only` takes it. */
  readonly name: string;
  readonly title: string;
  /** Every figure, machine-readable, with its unit in the key. */
  readonly figures: Readonly<Record<string, unknown>>;
  readonly targets: readonly TargetCheck[];
  readonly tables: readonly Table[];
  /** How the figures were taken and what limits them. */
  readonly notes: readonly string[];
}

/** Settings every benchmark receives. */
export interface BenchContext {
  /** Smaller sizes and fewer repetitions, to prove the benchmarks run (CI). */
  readonly quick: boolean;
  /** Progress lines, to stderr, so stdout stays the tables. */
  log(message: string): void;
}

/** A target check: `value <= limit`. */
export function atMost(figure: string, value: number, limit: number, unit = ""): TargetCheck {
  return { figure, value, target: `<= ${limit}${unit}`, met: value <= limit };
}

/** A target check: `value < limit`. */
export function below(figure: string, value: number, limit: number, unit = ""): TargetCheck {
  return { figure, value, target: `< ${limit}${unit}`, met: value < limit };
}

/** Prints a result's tables, its target checks and its notes. */
export function printResult(result: BenchResult): void {
  console.log(`\n=== ${result.title}`);
  for (const table of result.tables)
    console.log(renderTable(table.title, table.header, table.rows));
  if (result.targets.length > 0) {
    console.log(
      renderTable(
        "targets (informative: a miss never fails the run)",
        ["figure", "value", "target", "met"],
        result.targets.map((t) => [t.figure, t.value, t.target, t.met ? "yes" : "NO"]),
      ),
    );
  }
  for (const note of result.notes) console.log(`  note: ${note}`);
}
