/**
 * `serve` and `wait` as a user runs them: two subprocesses of the built CLI talking over
 * a real socket. Every exit code of the table comes out of a real run.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliProcess, runBuiltCli, startCli } from "./built-cli.js";

const token = "tok-5f1c9a7e-never-print-me";
let server: CliProcess;
let url: string;

beforeAll(async () => {
  server = await startCli(["serve", "--port", "0", "--speed", "1000", "--runs", "--token", token]);
  url = (await server.waitFor("stdout", /^(http:\/\/127\.0\.0\.1:\d+)$/m, 60_000))[1] ?? "";
}, 120_000);

afterAll(async () => {
  if (server.child.exitCode === null) server.child.kill("SIGTERM");
  await server.done;
});

function wait(args: readonly string[], env: Record<string, string> = { FLYTE_TOKEN: token }) {
  return runBuiltCli(["wait", ...args, "--endpoint", url], { env });
}

function expectNoToken(...texts: string[]) {
  for (const text of texts) expect(text).not.toContain(token);
}

describe("serve", () => {
  it("prints the URL first, then the catalogue with every outcome and fault", () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it("lists the catalogue and never echoes the token", async () => {
    const out = await server.waitFor("stdout", /Runs created[^\n]*\n/);
    const stdout = out.input ?? "";
    for (const name of [
      "succeed",
      "oom",
      "unknown-phase",
      "paused",
      "stream-drop",
      "half-open",
      "malformed",
    ]) {
      expect(stdout).toContain(name);
    }
    expect(stdout).toContain("FAILED → OOMError (user)");
    expectNoToken(stdout);
  });
});

describe("wait exit codes", () => {
  it("succeed exits 0; --json stdout is only the RunResult", async () => {
    const result = await wait(["succeed", "--json"]);
    expect(result.code).toBe(0);
    const body = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(body).toMatchObject({
      phase: 5,
      phaseName: "SUCCEEDED",
      attempts: 1,
      run: { name: "succeed" },
    });
    expect(typeof body.startedAt).toBe("string");
    expect(body.details).toMatchObject({ status: { phase: "ACTION_PHASE_SUCCEEDED" } });
    expect(result.stderr).toMatch(/run succeed: SUCCEEDED \(attempt 1\)/);
    expectNoToken(result.stdout, result.stderr);
  });

  it.concurrent.each([
    ["oom", 1, "OOMError", "user", 422, "OOMKilled"],
    ["interrupted", 2, "TaskInterruptedError", "system", 422, "Interrupted"],
    ["unknown-error", 3, "RuntimeUnknownError", "unknown", 500, "Unknown"],
    ["aborted", 4, "RunAbortedError", "user", 409, "RunAbortedError"],
    ["timeout", 5, "TaskTimeoutError", "user", 504, "TaskTimeoutError"],
  ])(
    "%s exits %d; stderr has the typed error, --json stdout only problem details",
    async (run, code, errorClass, kind, status, errorCode) => {
      const result = await wait([run, "--json"]);
      expect(result.code).toBe(code);
      const problem = JSON.parse(result.stdout) as Record<string, unknown>;
      expect(problem).toMatchObject({ status, code: errorCode, kind });
      expect(problem.type).toMatch(/^https:\/\/\S+\/[a-z-]+$/);
      for (const member of ["title", "detail", "retryable", "hint", "attempts", "worker"]) {
        expect(problem).toHaveProperty(member);
      }
      expect(result.stderr).toContain(`✗ run ${run} failed: ${errorClass}`);
      for (const label of [
        "class",
        "kind",
        "code",
        "retryable",
        "attempts",
        "worker",
        "message",
        "hint",
      ]) {
        expect(result.stderr).toMatch(new RegExp(`^  ${label} +\\S`, "m"));
      }
      expect(result.stderr).toMatch(new RegExp(`^  kind +${kind}$`, "m"));
      expect(result.stderr).not.toMatch(/^\s+at /m);
      expectNoToken(result.stdout, result.stderr);
    },
  );

  it("exits 6 when --timeout runs out, and says the run goes on", async () => {
    const result = await wait(["paused", "--timeout", "300ms"]);
    expect(result.code).toBe(6);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/gave up waiting for run paused after 300ms .*not aborted/);
  });

  it("exits 130 on Ctrl-C without aborting the run", async () => {
    const waiting = await startCli(["wait", "paused", "--endpoint", url], {
      env: { FLYTE_TOKEN: token },
    });
    await waiting.waitFor("stderr", /run paused: PAUSED/);
    waiting.child.kill("SIGINT");
    const result = await waiting.done;
    expect(result.code).toBe(130);
    expect(result.stderr).toContain("The run was NOT aborted");
    // The run is still PAUSED on the server: waiting again still times out.
    expect((await wait(["paused", "--timeout", "200ms"])).code).toBe(6);
  });

  it("exits 64 on a usage error, naming the flag that was meant", async () => {
    const result = await wait(["paused", "--tiemout", "1s"]);
    expect(result.code).toBe(64);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      "flyte-remote wait: unknown option '--tiemout' for 'wait'; did you mean --timeout?\nRun 'flyte-remote wait --help' for usage.\n",
    );
  });

  it("takes the endpoint from FLYTE_ENDPOINT; --quiet leaves stderr empty", async () => {
    const result = await runBuiltCli(["wait", "recovered", "-q"], {
      env: { FLYTE_ENDPOINT: url, FLYTE_TOKEN: token },
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^✓ run recovered RECOVERED after 1 attempt\(s\) in \d+\.\ds\n$/);
    expect(result.stderr).toBe("");
  });

  it("exits 7, its own code, with AuthenticationError on a wrong token, and prints neither token", async () => {
    const wrong = "tok-wrong-0b7d2e4c1a";
    const result = await wait(["succeed"], { FLYTE_TOKEN: wrong });
    expect(result.code).toBe(7);
    expect(result.stderr).toContain("AuthenticationError");
    expect(result.stderr).not.toContain(wrong);
    expectNoToken(result.stderr);
  });

  it("exits 8, its own code, with ActionNotFoundError for a run that does not exist", async () => {
    const result = await wait(["no-such-run"]);
    expect(result.code).toBe(8);
    expect(result.stderr).toContain("ActionNotFoundError");
  });
});

describe("serve shutdown", () => {
  it("stops cleanly on SIGTERM", async () => {
    const other = await startCli(["serve", "--port", "0"]);
    await other.waitFor("stderr", /Press Ctrl-C to stop/);
    other.child.kill("SIGTERM");
    const result = await other.done;
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("Stopped on SIGTERM.");
  });

  it("stops cleanly on SIGINT", async () => {
    server.child.kill("SIGINT");
    const result = await server.done;
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("Stopped on SIGINT.");
  });
});
