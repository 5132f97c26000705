import { describe, expect, it } from "vitest";
import { type ContainerTermination, parseContainerLines } from "../../src/decode/index.js";
import { containerLine, type Eol, exitZeroLine, POD_FAILED } from "./fixtures.js";

interface Row {
  name: string;
  message: string;
  expected: ContainerTermination[];
}

const rows = (eol: Eol): Row[] => [
  {
    name: "one OOMKilled container after the pod header",
    message: `${POD_FAILED}${containerLine("main", 137, "OOMKilled", "limit exceeded", eol)}`,
    expected: [
      { container: "main", exitCode: 137, reason: "OOMKilled", message: "limit exceeded" },
    ],
  },
  {
    name: "several containers, one of them clean",
    message: [
      POD_FAILED,
      containerLine("sidecar", 1, "Error", "proxy crashed", eol),
      exitZeroLine("init-data", eol),
      containerLine("main", 137, "OOMKilled", "oom", eol),
    ].join(""),
    expected: [
      { container: "sidecar", exitCode: 1, reason: "Error", message: "proxy crashed" },
      { container: "init-data", exitCode: 0 },
      { container: "main", exitCode: 137, reason: "OOMKilled", message: "oom" },
    ],
  },
  {
    name: "a name with brackets",
    message: `${POD_FAILED}${containerLine("main[0]]", 2, "Error", "x", eol)}`,
    expected: [{ container: "main[0]]", exitCode: 2, reason: "Error", message: "x" }],
  },
  {
    name: "a unicode name and text",
    message: `${POD_FAILED}${containerLine("主容器-🚀", 139, "Error", "Speicherzugriffsfehler ✗", eol)}`,
    expected: [
      {
        container: "主容器-🚀",
        exitCode: 139,
        reason: "Error",
        message: "Speicherzugriffsfehler ✗",
      },
    ],
  },
  {
    name: "multi-line container text, then another container",
    message: `${POD_FAILED}${containerLine("a", 1, "Error", `line one${eol}line two`, eol)}${containerLine("b", 3, "ContainerCannotRun", "no exec", eol)}`,
    expected: [
      { container: "a", exitCode: 1, reason: "Error", message: `line one${eol}line two` },
      { container: "b", exitCode: 3, reason: "ContainerCannotRun", message: "no exec" },
    ],
  },
  {
    name: "trailing text after the last line belongs to its text",
    message: `${containerLine("main", 1, "Error", "boom", eol)}${eol}see the logs`,
    expected: [
      { container: "main", exitCode: 1, reason: "Error", message: `boom.${eol}see the logs` },
    ],
  },
  {
    name: "a negative exit code and an empty text",
    message: `${containerLine("main", -1, "Unknown", "", eol)}`,
    expected: [{ container: "main", exitCode: -1, reason: "Unknown", message: "" }],
  },
  {
    name: "an exit code line without a reason",
    message: `${eol}[main] terminated with exit code (5)`,
    expected: [{ container: "main", exitCode: 5 }],
  },
  {
    name: "no container lines",
    message: "task failed after 3 attempt(s)",
    expected: [],
  },
  {
    name: "the marker in the middle of a line is not a container line",
    message: `something [x] terminated with exit code (1). Reason [Error]. Message: \nnope.`,
    expected: [],
  },
  {
    name: "a marker whose tail does not parse",
    message: `${eol}[x] terminated with grace${eol}[y] terminated with exit code (abc)`,
    expected: [],
  },
];

describe("parseContainerLines", () => {
  for (const eol of ["\r\n", "\n"] as const) {
    describe(eol === "\r\n" ? "CRLF" : "LF", () => {
      for (const row of rows(eol)) {
        it(row.name, () => {
          expect(parseContainerLines(row.message)).toEqual(row.expected);
        });
      }
    });
  }

  it("reads a long adversarial message and still finds the real line at its end", () => {
    const noise =
      "[a] terminated with ".repeat(50_000) + "] terminated with exit code (".repeat(20_000);
    const message = `${noise}\n${"x".repeat(100_000)}${containerLine("main", 137, "OOMKilled", "end")}`;
    expect(parseContainerLines(message)).toEqual([
      { container: "main", exitCode: 137, reason: "OOMKilled", message: "end" },
    ]);
  });

  it("returns [] for a non-string without throwing", () => {
    expect(parseContainerLines(undefined as unknown as string)).toEqual([]);
    expect(parseContainerLines("")).toEqual([]);
  });
});
