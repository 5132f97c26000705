/** Prints a benchmark's figures as an aligned text table. */

/** One printed row: a label and its cells, already formatted or numbers. */
export type Row = readonly (string | number)[];

/** Formats a number for a table cell: thousands separated, at most `digits` decimals. */
export function fmt(value: number, digits = 2): string {
  if (!Number.isFinite(value)) return String(value);
  return value.toLocaleString("en-US", { maximumFractionDigits: digits });
}

/** Renders a table with a title, a header and rows; every column but the label is right-aligned. */
export function renderTable(title: string, header: Row, rows: readonly Row[]): string {
  const cells = [header, ...rows].map((row) =>
    row.map((cell) => (typeof cell === "number" ? fmt(cell) : cell)),
  );
  const widths = header.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? "").length)));
  const line = (row: readonly string[]) =>
    row
      .map((cell, i) => (i > 0 ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join("  ");
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  return [`\n${title}`, line(cells[0] ?? []), rule, ...cells.slice(1).map(line)].join("\n");
}
