import { describe, expect, it } from "vitest";
import {
  compareOutcome,
  demoFaultScenarios,
  demoPlan,
  type Expectation,
} from "../../src/cli/demo-plan.js";
import { type CaseResult, renderDemoReport } from "../../src/cli/demo-report.js";
import type { ErrorFacts } from "../../src/cli/describe-error.js";
import { createStyle, visibleWidth } from "../../src/cli/style.js";
import { ActionPhase } from "../../src/gen/flyteidl2/common/phase_pb.js";
import { maxRunNameLength, OUTCOMES, parseScenario } from "../../src/testing/index.js";

const oomFacts: ErrorFacts = {
  errorClass: "OOMError",
  kind: "user",
  code: "OOMKilled",
  retryable: false,
  status: 422,
  attempts: 3,
  message: "ran out of memory",
  hint: "Raise the task's memory request.",
};
const oomExpect: Expectation = {
  success: false,
  finalPhase: ActionPhase.FAILED,
  errorClass: "OOMError",
  kind: "user",
  code: "OOMKilled",
  attempts: 3,
};

describe("demoPlan", () => {
  const plan = demoPlan();
  it("runs every outcome once plus the two fault scenarios, with valid unique names", () => {
    expect(plan.map((c) => c.task)).toEqual([...OUTCOMES, ...demoFaultScenarios]);
    expect(new Set(plan.map((c) => c.run)).size).toBe(plan.length);
    for (const c of plan) {
      expect(c.run.length).toBeLessThanOrEqual(maxRunNameLength);
      expect(parseScenario(c.task)).not.toHaveProperty("error");
    }
  });

  it("expects the fault scenarios to end like their outcome", () => {
    const byTask = new Map(plan.map((c) => [c.task, c.expect]));
    expect(byTask.get("stream-drop+oom")).toEqual(byTask.get("oom"));
    expect(byTask.get("unavailable+succeed")).toEqual(byTask.get("succeed"));
  });

  it("aborts paused at PAUSED and expects the abort as a typed error", () => {
    const paused = plan.find((c) => c.task === "paused");
    expect(paused?.expect).toMatchObject({
      abortAt: ActionPhase.PAUSED,
      errorClass: "RunAbortedError",
      finalPhase: ActionPhase.ABORTED,
    });
    expect(paused?.note).toBeDefined();
  });

  it("expects unknown-phase to be a RuntimeUnknownError", () => {
    expect(plan.find((c) => c.task === "unknown-phase")?.expect).toMatchObject({
      errorClass: "RuntimeUnknownError",
      kind: "unknown",
      success: false,
    });
  });
});

describe("compareOutcome", () => {
  it("accepts an outcome that keeps the promise", () => {
    expect(
      compareOutcome(oomExpect, {
        phase: ActionPhase.FAILED,
        phaseName: "FAILED",
        attempts: 3,
        error: oomFacts,
      }),
    ).toEqual([]);
  });

  it("lists every broken part of a promise", () => {
    const wrong = {
      ...oomFacts,
      errorClass: "RuntimeUserError",
      code: "UserError",
      kind: "system",
    };
    expect(
      compareOutcome(oomExpect, {
        phase: ActionPhase.RUNNING,
        phaseName: "RUNNING",
        attempts: 1,
        error: wrong,
      }),
    ).toEqual([
      `ended in phase ${ActionPhase.RUNNING}, expected ${ActionPhase.FAILED}`,
      "raised RuntimeUserError, expected OOMError",
      "kind system, expected user",
      "code UserError, expected OOMKilled",
      "1 attempt(s), expected 3",
    ]);
    expect(
      compareOutcome(oomExpect, { phase: ActionPhase.FAILED, phaseName: "FAILED", attempts: 3 }),
    ).toEqual(["succeeded, expected OOMError"]);
    const success: Expectation = { success: true, finalPhase: ActionPhase.SUCCEEDED, attempts: 1 };
    expect(
      compareOutcome(success, {
        phase: ActionPhase.SUCCEEDED,
        phaseName: "SUCCEEDED",
        attempts: 1,
        error: oomFacts,
      }),
    ).toEqual(["raised OOMError, expected success"]);
    expect(
      compareOutcome(success, {
        phase: 0,
        phaseName: "UNSPECIFIED",
        attempts: 0,
        unexpected: "did not end within 1m",
      }),
    ).toEqual(["did not end within 1m"]);
  });
});

describe("renderDemoReport", () => {
  const plain = createStyle(false);
  const ok: CaseResult = {
    demo: {
      run: "demo-01",
      task: "succeed",
      expect: { success: true, finalPhase: ActionPhase.SUCCEEDED, attempts: 1 },
    },
    outcome: { phase: ActionPhase.SUCCEEDED, phaseName: "SUCCEEDED", attempts: 1 },
    problems: [],
  };
  const oom: CaseResult = {
    demo: { run: "demo-04", task: "oom", expect: oomExpect },
    outcome: { phase: ActionPhase.FAILED, phaseName: "FAILED", attempts: 3, error: oomFacts },
    problems: [],
  };

  it("prints the table with every column, the hint per failure and the verdict", () => {
    const report = renderDemoReport([ok, oom], plain);
    expect(report.allAsExpected).toBe(true);
    expect(report.lines).toEqual([
      "run      task     final phase  error class  kind  code       retryable  attempts  HTTP status  ok",
      "───────  ───────  ───────────  ───────────  ────  ─────────  ─────────  ────────  ───────────  ──",
      "demo-01  succeed  SUCCEEDED    -            -     -          -                 1            -  ✓",
      "demo-04  oom      FAILED       OOMError     user  OOMKilled  no                3          422  ✓",
      "",
      "What to do about each failure:",
      "  demo-04  OOMError: Raise the task's memory request.",
      "",
      "All 2 outcomes were as expected: 1 succeeded and 1 failed with the typed error their scenario promises.",
    ]);
  });

  it("names each broken promise and fails the verdict", () => {
    const broken = { ...oom, problems: ["raised RuntimeUserError, expected OOMError"] };
    const report = renderDemoReport([ok, broken], plain);
    expect(report.allAsExpected).toBe(false);
    expect(report.lines.slice(-2)).toEqual([
      "✗ demo-04 (oom): raised RuntimeUserError, expected OOMError",
      "1 of 2 outcomes were NOT as expected.",
    ]);
    expect(report.lines[3]?.endsWith("✗")).toBe(true);
  });

  it("keeps the table while it fits the width, and stacks a block per run below that", () => {
    const table = renderDemoReport([ok, oom], plain).lines;
    const tableWidth = visibleWidth(table[0] ?? "");
    expect(renderDemoReport([ok, oom], plain, tableWidth).lines.slice(0, 4)).toEqual(
      table.slice(0, 4),
    );
    const narrow = renderDemoReport([ok, oom], plain, tableWidth - 1).lines;
    expect(narrow.slice(0, 8)).toEqual([
      "✓ demo-01  succeed",
      "    final phase  SUCCEEDED (1 attempt)",
      "✓ demo-04  oom",
      "    final phase  FAILED (3 attempts)",
      "    error class  OOMError",
      "    kind, code   user, OOMKilled",
      "    retryable    no; HTTP status 422",
      "",
    ]);
  });

  it("wraps prose to the width at spaces, hints under their text", () => {
    const lines = renderDemoReport([ok, oom], plain, 40).lines;
    expect(lines.every((line) => visibleWidth(line) <= 40)).toBe(true);
    expect(lines).toContain("  demo-04  OOMError: Raise the task's");
    expect(lines).toContain("           memory request.");
    expect(lines.slice(-3)).toEqual([
      "All 2 outcomes were as expected: 1",
      "succeeded and 1 failed with the typed",
      "error their scenario promises.",
    ]);
  });
});
