import { describe, expect, it } from "vitest";
import { closest } from "../../src/cli/suggest.js";

describe("closest", () => {
  const flags = ["--endpoint", "--timeout", "--json", "--quiet", "--help"];
  it.each([
    ["--tiemout", "--timeout"],
    ["--timout", "--timeout"],
    ["--jsno", "--json"],
    ["--end", "--endpoint"],
  ])("%s suggests %s", (input, expected) => {
    expect(closest(input, flags)).toBe(expected);
  });
  it("counts a swap of neighbours as one slip", () => {
    expect(closest("dmeo", ["demo", "serve", "wait", "explain"])).toBe("demo");
    expect(closest("wiat", ["demo", "serve", "wait", "explain"])).toBe("wait");
  });
  it("suggests nothing far away", () => {
    expect(closest("--verbose", flags)).toBeUndefined();
    expect(closest("deploy", ["demo", "serve", "wait", "explain"])).toBeUndefined();
  });
});
