import { describe, expect, it } from "vitest";
import {
  type LiveRow,
  renderLiveView,
  renderLogLine,
  repaint,
  spinnerFrames,
} from "../../src/cli/live-view.js";
import { createStyle, stripAnsi, visibleWidth } from "../../src/cli/style.js";
import { renderWaitLine, renderWaitLogLine } from "../../src/cli/wait-progress.js";

const plain = createStyle(false);
const colour = createStyle(true);
const t0 = 1_000_000;

const rows: LiveRow[] = [
  {
    run: "demo-01",
    task: "succeed",
    status: "succeeded",
    phaseName: "SUCCEEDED",
    attempt: 1,
    startedAt: t0,
    endedAt: t0 + 6_000,
    asExpected: true,
  },
  {
    run: "demo-04",
    task: "oom",
    status: "active",
    phaseName: "RUNNING",
    attempt: 2,
    startedAt: t0,
  },
  {
    run: "demo-05",
    task: "image-pull-backoff",
    status: "pending",
    phaseName: "…",
    attempt: 0,
    startedAt: t0,
  },
  {
    run: "demo-09",
    task: "timeout",
    status: "failed",
    phaseName: "TIMED_OUT",
    attempt: 1,
    startedAt: t0,
    endedAt: t0 + 61_000,
    note: "TaskTimeoutError",
    asExpected: true,
  },
  {
    run: "demo-12",
    task: "system-error",
    status: "failed",
    phaseName: "FAILED",
    attempt: 1,
    startedAt: t0,
    endedAt: t0 + 1_000,
    note: "RuntimeUnknownError",
    asExpected: false,
  },
];

describe("renderLiveView", () => {
  it("draws one aligned line per run, a spinner only on active ones", () => {
    const lines = renderLiveView(rows, { frame: 0, now: t0 + 12_345, style: plain });
    expect(lines).toEqual([
      "✓ demo-01  succeed             SUCCEEDED  attempt 1    6.0s",
      `${spinnerFrames[0]} demo-04  oom                 RUNNING    attempt 2   12.3s`,
      "· demo-05  image-pull-backoff  …                      12.3s",
      "✓ demo-09  timeout             TIMED_OUT  attempt 1   1m01s  TaskTimeoutError",
      "✗ demo-12  system-error        FAILED     attempt 1    1.0s  RuntimeUnknownError",
    ]);
  });

  it("turns the spinner with the frame and ticks the clock with now, nothing else", () => {
    const a = renderLiveView(rows, { frame: 3, now: t0 + 20_000, style: plain });
    const b = renderLiveView(rows, { frame: 4, now: t0 + 21_000, style: plain });
    expect(a[1]?.startsWith(spinnerFrames[3])).toBe(true);
    expect(b[1]?.startsWith(spinnerFrames[4])).toBe(true);
    expect(a[1]).toContain("20.0s");
    expect(b[1]).toContain("21.0s");
    // Settled rows are frozen.
    expect(a[0]).toBe(b[0]);
    expect(a[3]).toBe(b[3]);
    expect(
      renderLiveView(rows, { frame: spinnerFrames.length + 3, now: t0, style: plain })[1],
    ).toMatch(new RegExp(`^${spinnerFrames[3]}`));
  });

  it("colours without changing the layout, and cuts lines to the terminal width", () => {
    const coloured = renderLiveView(rows, { frame: 0, now: t0 + 12_345, style: colour });
    expect(coloured.join("")).toContain("\x1b[");
    expect(coloured.map(stripAnsi)).toEqual(
      renderLiveView(rows, { frame: 0, now: t0 + 12_345, style: plain }),
    );
    const narrow = renderLiveView(rows, { frame: 0, now: t0, style: colour, width: 30 });
    for (const line of narrow) expect(visibleWidth(line)).toBeLessThanOrEqual(30);
    expect(stripAnsi(narrow[3] ?? "")).toBe("✓ demo-09  timeout           …");
  });
});

describe("repaint", () => {
  it("writes the first frame from the cursor, later frames over the previous one", () => {
    expect(repaint(0, ["a", "b"])).toBe("\x1b[2Ka\n\x1b[2Kb\n\x1b[J");
    expect(repaint(2, ["c"])).toBe("\x1b[2A\r\x1b[2Kc\n\x1b[J");
  });
});

describe("log lines", () => {
  it("say what changed without escapes", () => {
    expect(renderLogLine(rows[1] as LiveRow, t0 + 3_200)).toBe(
      "[  3.2s] demo-04 oom: RUNNING (attempt 2)",
    );
    expect(renderLogLine(rows[3] as LiveRow, t0 + 90_000)).toBe(
      "[ 1m01s] demo-09 timeout: TIMED_OUT (attempt 1) TaskTimeoutError",
    );
  });
});

describe("wait progress", () => {
  const state = { run: "r1", phaseName: "RUNNING", attempt: 2, since: t0 };
  it("is a spinner, the run, the phase, the attempt and the elapsed time", () => {
    expect(renderWaitLine(state, 1, t0 + 4_200, plain)).toBe(
      `${spinnerFrames[1]} run r1  RUNNING  attempt 2  4.2s`,
    );
    expect(renderWaitLine({ ...state, until: t0 + 1_000 }, 1, t0 + 9_000, plain)).toContain("1.0s");
    expect(renderWaitLine({ ...state, phaseName: "…", attempt: 0 }, 0, t0, plain)).toBe(
      `${spinnerFrames[0]} run r1  …  0.0s`,
    );
    expect(visibleWidth(renderWaitLine(state, 1, t0, colour, 12))).toBe(12);
  });
  it("marks a settled run instead of spinning", () => {
    const done = { ...state, phaseName: "FAILED", until: t0 + 6_000 };
    expect(renderWaitLine({ ...done, outcome: "failed" }, 7, t0 + 9_000, plain)).toBe(
      "✗ run r1  FAILED  attempt 2  6.0s",
    );
    expect(
      renderWaitLine({ ...done, phaseName: "SUCCEEDED", outcome: "succeeded" }, 7, t0, plain),
    ).toBe("✓ run r1  SUCCEEDED  attempt 2  6.0s");
  });
  it("logs one plain line per change", () => {
    expect(renderWaitLogLine(state, t0 + 61_000)).toBe("[ 1m01s] run r1: RUNNING (attempt 2)");
  });
});
