/**
 * What the CLI writes to a terminal, in-process with a fake terminal: the demo report fits
 * the terminal's width, and `TERM=dumb` (a terminal that moves no cursor) gets plain log
 * lines instead of the in-place view, for `demo` and `wait` alike.
 */

import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CliIo } from "../../src/cli/cli-io.js";
import { runCli } from "../../src/cli/run-cli.js";
import { visibleWidth } from "../../src/cli/style.js";
import { startTestServer, type TestServer } from "../../src/testing/index.js";

/** A terminal of `columns` on both streams, with `env`. */
function terminal(columns: number, env: Record<string, string>) {
  const out = { stdout: "", stderr: "" };
  const stdin = new PassThrough();
  stdin.end();
  const io: CliIo = {
    stdout: { isTTY: true, columns, write: (text: string) => (out.stdout += text) },
    stderr: { isTTY: true, columns, write: (text: string) => (out.stderr += text) },
    stdin,
    env,
    onSignal: () => () => {},
  };
  return { io, out };
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching escapes is the point.
const cursorMovement = /\x1b\[(\d*[ABJ]|\?25[lh]|2K)/;

describe("demo on a terminal", () => {
  it.each([60, 80, 119])("fits %d columns: a block per run, prose wrapped", async (columns) => {
    const { io, out } = terminal(columns, { TERM: "xterm-256color", NO_COLOR: "1" });
    expect(await runCli(["demo", "--speed", "50"], io)).toBe(0);
    const lines = out.stdout.trimEnd().split("\n");
    const tooWide = lines.filter((line) => visibleWidth(line) > columns);
    expect(tooWide).toEqual([]);
    // Every run is there, stacked, with its class, kind and code.
    expect(out.stdout).toMatch(/^✓ demo-04 {2}oom$/m);
    expect(out.stdout).toMatch(/^ {4}final phase {2}FAILED \(3 attempts\)$/m);
    expect(out.stdout).toMatch(/^ {4}error class {2}OOMError$/m);
    expect(out.stdout).toMatch(/^ {4}kind, code {3}user, OOMKilled$/m);
    expect(out.stdout).toMatch(/^ {4}retryable {4}no; HTTP status 422$/m);
    expect(out.stdout).toMatch(
      /^✓ demo-01 {2}succeed\n {4}final phase {2}SUCCEEDED \(1 attempt\)$/m,
    );
    expect(out.stdout).not.toMatch(/^run +task +final phase/m);
    expect(out.stdout.replace(/\n\s*/g, " ")).toContain(
      "All 17 outcomes were as expected: 3 succeeded and 14 failed with the typed error their scenario promises.",
    );
  });

  it("keeps the table on a terminal wide enough for it", async () => {
    const { io, out } = terminal(200, { TERM: "xterm-256color", NO_COLOR: "1" });
    expect(await runCli(["demo", "--speed", "50"], io)).toBe(0);
    const table = out.stdout.split("\n");
    expect(table[0]).toMatch(/^run +task +final phase +error class +kind +code/);
    expect(Math.max(...table.map(visibleWidth))).toBeLessThanOrEqual(200);
    // On a real terminal the progress is the in-place view.
    expect(out.stderr).toMatch(cursorMovement);
  });

  it("TERM=dumb gets log lines, not cursor movement", async () => {
    const { io, out } = terminal(200, { TERM: "dumb" });
    expect(await runCli(["demo", "--speed", "50"], io)).toBe(0);
    expect(out.stderr).not.toMatch(cursorMovement);
    expect(out.stdout).not.toContain("\x1b[");
    expect(out.stderr).toMatch(/^\[ *\d+\.\ds\] demo-04 oom: FAILED \(attempt 3\) OOMError$/m);
  });
});

describe("wait on a terminal", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ speed: 1000 });
  });
  afterAll(() => server.close());

  it.each([
    ["xterm-256color", true],
    ["dumb", false],
  ] as const)("TERM=%s: in-place progress is %s", async (term, inPlace) => {
    const name = `term-${term}`.slice(0, 30);
    server.runs.create({ scenario: "succeed", name });
    const { io, out } = terminal(100, { TERM: term, NO_COLOR: "1" });
    expect(await runCli(["wait", name, "--endpoint", server.url], io)).toBe(0);
    if (inPlace) {
      expect(out.stderr).toMatch(cursorMovement);
    } else {
      expect(out.stderr).not.toMatch(cursorMovement);
      expect(out.stderr).toMatch(new RegExp(`^\\[ *\\d+\\.\\ds\\] run ${name}: SUCCEEDED`, "m"));
    }
  });
});
