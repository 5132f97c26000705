/**
 * `flyte-remote demo --speed 50`, run as a user runs it: the built CLI as a subprocess,
 * its own embedded server, the real client, no terminal.
 */

import { describe, expect, it } from "vitest";
import { demoPlan } from "../../src/cli/demo-plan.js";
import { runBuiltCli } from "./built-cli.js";

describe("demo", () => {
  it("exits 0, prints the table, an explanation per failure and the verdict", async () => {
    // FORCE_COLOR would colour a pipe; NO_COLOR must still win.
    const result = await runBuiltCli(["demo", "--speed", "50"], {
      env: { NO_COLOR: "1", FORCE_COLOR: "1" },
    });
    // Node 22 and later warn about this very combination themselves, before any of our code
    // runs; only that warning is allowed.
    const nodeOwn =
      /^\(node:\d+\) Warning: The 'NO_COLOR' env is ignored due to the 'FORCE_COLOR' env being set\.\n(\(Use `node --trace-warnings \.\.\.` to show where the warning was created\)\n)?/m;
    expect(result.stderr.replace(nodeOwn, "")).not.toMatch(/Warning|^\s+at /m);
    expect(result.code).toBe(0);
    const lines = result.stdout.split("\n");
    expect(lines[0]).toMatch(
      /^run +task +final phase +error class +kind +code +retryable +attempts +HTTP status +ok$/,
    );
    const plan = demoPlan();
    for (const demo of plan) {
      const row = lines.find((line) => line.startsWith(`${demo.run} `));
      expect(row, demo.run).toBeDefined();
      expect(row).toContain(` ${demo.task} `);
      expect(row?.endsWith("✓")).toBe(true);
      if (demo.expect.errorClass !== undefined)
        expect(row).toContain(` ${demo.expect.errorClass} `);
    }
    expect(lines.find((l) => l.startsWith("demo-04 "))).toMatch(
      /^demo-04 +oom +FAILED +OOMError +user +OOMKilled +no +3 +422 +✓$/,
    );
    expect(lines.find((l) => l.startsWith("demo-14 "))).toMatch(
      /^demo-14 +unknown-phase +UNKNOWN\(42\) +RuntimeUnknownError +unknown +UnknownPhase +no +1 +500 +✓$/,
    );
    expect(result.stdout).toContain("What to do about each failure:");
    expect(result.stdout).toMatch(/^ {2}demo-04 +OOMError: Raise the task's memory request/m);
    expect(result.stdout).toMatch(/^All 17 outcomes were as expected: 3 succeeded and 14 failed/m);
    // stdout is only the report; progress went to stderr, as plain log lines.
    expect(result.stdout).not.toContain("\x1b[");
    expect(result.stderr).not.toContain("\x1b[");
    expect(result.stderr).toMatch(
      /^\[ *\d+\.\ds\] demo-16 stream-drop\+oom: FAILED \(attempt 3\) OOMError$/m,
    );
    expect(result.stderr).toMatch(/^\[ *\d+\.\ds\] demo-15 paused: PAUSED \(attempt 1\)$/m);
  });

  it("refuses a bad --speed with exit 64", async () => {
    const result = await runBuiltCli(["demo", "--speed", "fast"]);
    expect(result.code).toBe(64);
    expect(result.stderr).toContain("--speed must be a positive number, got 'fast'");
  });
});
