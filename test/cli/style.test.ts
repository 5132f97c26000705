import { describe, expect, it } from "vitest";
import { colorEnabled, createStyle, truncate } from "../../src/cli/style.js";

describe("colorEnabled", () => {
  const tty = { write: () => true, isTTY: true };
  const pipe = { write: () => true };
  it("colours a terminal only", () => {
    expect(colorEnabled(tty, {})).toBe(true);
    expect(colorEnabled(pipe, {})).toBe(false);
    expect(colorEnabled(tty, { TERM: "dumb" })).toBe(false);
  });
  it("lets NO_COLOR win over everything, and FORCE_COLOR colour a pipe", () => {
    expect(colorEnabled(tty, { NO_COLOR: "1" })).toBe(false);
    expect(colorEnabled(tty, { NO_COLOR: "1", FORCE_COLOR: "1" })).toBe(false);
    expect(colorEnabled(tty, { NO_COLOR: "" })).toBe(true);
    expect(colorEnabled(pipe, { FORCE_COLOR: "1" })).toBe(true);
    expect(colorEnabled(tty, { FORCE_COLOR: "0" })).toBe(false);
  });
  it("makes a plain style the identity", () => {
    expect(createStyle(false).red("x")).toBe("x");
    expect(createStyle(true).red("x")).toBe("\x1b[31mx\x1b[39m");
  });
});

describe("truncate", () => {
  it("keeps short text and cuts long text with an ellipsis", () => {
    expect(truncate("abc", 5)).toBe("abc");
    expect(truncate("abcdef", 4)).toBe("abc…");
    expect(truncate("\x1b[31mabcdef\x1b[39m", 4)).toBe("\x1b[31mabc…\x1b[39m");
  });
});
