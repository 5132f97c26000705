import { describe, expect, it } from "vitest";
import { isSuccessPhase, isTerminalPhase, phaseName } from "../../src/decode/index.js";

/** FLYTE-FACTS section 3, including RECOVERED and numbers from the future. */
const table: [number, string, boolean, boolean][] = [
  [0, "UNSPECIFIED", false, false],
  [1, "QUEUED", false, false],
  [2, "WAITING_FOR_RESOURCES", false, false],
  [3, "INITIALIZING", false, false],
  [4, "RUNNING", false, false],
  [5, "SUCCEEDED", true, true],
  [6, "FAILED", true, false],
  [7, "ABORTED", true, false],
  [8, "TIMED_OUT", true, false],
  [9, "PAUSED", false, false],
  [10, "RECOVERED", true, true],
  [42, "UNKNOWN(42)", false, false],
  [-1, "UNKNOWN(-1)", false, false],
  [1.5, "UNKNOWN(1.5)", false, false],
];

describe("phases", () => {
  for (const [phase, name, terminal, success] of table) {
    it(`${phase} is ${name}, terminal ${terminal}, success ${success}`, () => {
      expect(phaseName(phase)).toBe(name);
      expect(isTerminalPhase(phase)).toBe(terminal);
      expect(isSuccessPhase(phase)).toBe(success);
    });
  }
});
