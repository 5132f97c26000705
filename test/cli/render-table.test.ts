import { describe, expect, it } from "vitest";
import { renderTable } from "../../src/cli/render-table.js";
import { createStyle, stripAnsi } from "../../src/cli/style.js";

describe("renderTable", () => {
  it("aligns columns, right-aligns numbers and trims trailing blanks", () => {
    const lines = renderTable(
      [{ header: "run" }, { header: "n", align: "right" }, { header: "note" }],
      [
        ["a", "1", ""],
        ["longer", "100", "x"],
      ],
    );
    expect(lines).toEqual([
      "run       n  note",
      "──────  ───  ────",
      "a         1",
      "longer  100  x",
    ]);
  });

  it("measures coloured cells by what shows", () => {
    const c = createStyle(true);
    const lines = renderTable([{ header: "a" }, { header: "b" }], [[c.red("xx"), "y"]], c.bold);
    expect(lines.map(stripAnsi)).toEqual(["a   b", "──  ─", "xx  y"]);
  });
});
