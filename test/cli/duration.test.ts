import { describe, expect, it } from "vitest";
import { formatElapsed, parseDuration } from "../../src/cli/duration.js";

describe("parseDuration", () => {
  it.each([
    ["1500ms", 1500],
    ["30s", 30_000],
    ["30m", 1_800_000],
    ["2h", 7_200_000],
    ["1h30m", 5_400_000],
    ["1.5s", 1500],
    [" 45s ", 45_000],
  ])("%s is %d ms", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it("refuses a bare number and suggests units", () => {
    expect(parseDuration("30")).toEqual({
      error:
        '"30" is not a duration; use a number with a unit: 1500ms, 30s, 30m, 1h30m (did you mean 30s or 30m?)',
    });
  });

  it.each(["", "m", "10x", "5s!", "-5s", "1d"])("refuses %j", (text) => {
    expect(parseDuration(text)).toHaveProperty("error");
  });
});

describe("formatElapsed", () => {
  it.each([
    [0, "0.0s"],
    [430, "0.4s"],
    [12_345, "12.3s"],
    [125_000, "2m05s"],
    [3_725_000, "1h02m"],
    [-5, "0.0s"],
  ])("%d ms reads %s", (ms, text) => {
    expect(formatElapsed(ms)).toBe(text);
  });
});
