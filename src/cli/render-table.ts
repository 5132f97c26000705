/**
 * Plain-text tables whose columns line up with or without colour.
 *
 * @module
 */

import { visibleWidth } from "./style.js";

/** One column: its header and which side its cells hug. */
export interface Column {
  readonly header: string;
  readonly align?: "left" | "right" | undefined;
}

function pad(cell: string, width: number, align: "left" | "right"): string {
  const gap = " ".repeat(Math.max(0, width - visibleWidth(cell)));
  return align === "right" ? gap + cell : cell + gap;
}

/**
 * Renders `rows` under `columns`: a header, a rule, then one line per row, columns
 * separated by two spaces. Widths are measured without ANSI escapes, so coloured cells
 * align. Trailing blanks are trimmed so copied output stays clean.
 */
export function renderTable(
  columns: readonly Column[],
  rows: readonly (readonly string[])[],
  decorateHeader: (text: string) => string = (text) => text,
): string[] {
  const widths = columns.map((column, i) =>
    Math.max(visibleWidth(column.header), ...rows.map((row) => visibleWidth(row[i] ?? ""))),
  );
  const line = (cells: readonly string[]) =>
    columns
      .map((column, i) => pad(cells[i] ?? "", widths[i] ?? 0, column.align ?? "left"))
      .join("  ")
      .trimEnd();
  return [
    decorateHeader(line(columns.map((c) => c.header))),
    widths.map((w) => "─".repeat(w)).join("  "),
    ...rows.map(line),
  ];
}
