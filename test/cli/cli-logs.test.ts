/**
 * `logs` and `wait --json` in-process, against the test server: what a user sees on
 * stdout and stderr, and the exit code.
 */

import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import type { CliIo } from "../../src/cli/cli-io.js";
import { runCli } from "../../src/cli/run-cli.js";
import { startTestServer, type TestServer } from "../../src/testing/index.js";

const token = "tok-logs-4d2e9b-never-print";
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ speed: 400, token });
});

afterAll(async () => {
  await server.close();
});

async function cli(argv: string[], endpoint = server.url) {
  const out = { stdout: "", stderr: "" };
  const stdin = new PassThrough();
  stdin.end();
  const io: CliIo = {
    stdout: {
      write(t: string) {
        out.stdout += t;
        return true;
      },
    },
    stderr: {
      write(t: string) {
        out.stderr += t;
        return true;
      },
    },
    stdin,
    env: { FLYTE_ENDPOINT: endpoint, FLYTE_TOKEN: token },
    onSignal: () => () => {},
  };
  const code = await runCli(argv, io);
  expect(out.stdout).not.toContain(token);
  expect(out.stderr).not.toContain(token);
  return { code, ...out };
}

describe("flyte-remote logs", () => {
  it("prints the log of a finished run and exits 0", async () => {
    const name = "cli-log-1";
    server.runs.create({ name, scenario: "succeed" });
    await cli(["wait", name, "--quiet"]);
    const result = await cli(["logs", name]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      [
        "[flyte] Running task succeed, attempt 1",
        "Loading inputs",
        "Working…",
        "Done",
        "[flyte] Task succeeded, outputs written",
        "",
      ].join("\n"),
    );
  });

  it("--follow goes through every attempt until the run ends; --timestamps prefixes ISO times", async () => {
    // A server 20 times slower than the others here: `logs` starts at the latest attempt,
    // and at speed 400 a busy machine lets the run reach its second attempt before the
    // command has asked.
    const slow = await startTestServer({ speed: 20, token });
    onTestFinished(() => slow.close());
    const name = "cli-log-2";
    slow.runs.create({ name, scenario: "oom" });
    const result = await cli(["logs", name, "--follow", "--timestamps"], slow.url);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split("\n");
    for (const n of [1, 2, 3]) {
      expect(lines).toContainEqual(
        expect.stringMatching(
          new RegExp(`^\\d{4}-\\d\\d-\\d\\dT[^ ]+Z \\[flyte\\] Running task oom, attempt ${n}$`),
        ),
      );
    }
    expect(lines.at(-1)).toMatch(/Z \[flyte\] Attempt 3 failed$/);
  });

  it("a log that never appears ends with LogsNotYetAvailableError, exit 2", async () => {
    const name = "cli-log-3";
    server.runs.create({ name, scenario: "invalid-image" });
    await cli(["wait", name, "--quiet"]);
    const result = await cli(["logs", name, "--attempt", "1", "--retry-delay", "10ms"]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("LogsNotYetAvailableError");
    expect(result.stderr).toContain(`Log stream not available for action a0 in run ${name}`);
  });

  it("--attempt must be a whole number", async () => {
    const result = await cli(["logs", "x", "--attempt", "0"]);
    expect(result.code).toBe(64);
    expect(result.stderr).toContain("--attempt must be a whole number from 1, got '0'");
  });
});

describe("flyte-remote wait --json", () => {
  it("includes the outputs on success, in their JSON form", async () => {
    const name = "cli-wait-1";
    server.runs.create({ name, scenario: "succeed" });
    const result = await cli(["wait", name, "--json", "--quiet"]);
    expect(result.code).toBe(0);
    const body = JSON.parse(result.stdout) as { outputs: Record<string, unknown> };
    expect(body.outputs).toMatchObject({
      o0: 42,
      o3: "2024-05-01T10:00:00.000Z",
      o4: { durationMs: 90_500 },
      o7: { name: "resnet", layers: 50 },
      o8: { kind: "file", format: "pt" },
      o12: null,
    });
  });

  it("an output that does not convert is reported as problem details; the run still succeeded", async () => {
    const name = "cli-wait-2";
    server.runs.create({ name, scenario: "unconvertible-output+succeed" });
    const result = await cli(["wait", name, "--json", "--quiet"]);
    expect(result.code).toBe(0);
    const body = JSON.parse(result.stdout) as {
      phaseName: string;
      outputsError: Record<string, unknown>;
    };
    expect(body.phaseName).toBe("SUCCEEDED");
    expect(body.outputsError).toMatchObject({ code: "DataValidationError", kind: "user" });
  });
});
