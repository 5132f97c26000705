/**
 * The dispatcher in-process, with captured streams: help, version, usage errors and
 * the last line of defence. Cheap enough to cover every branch; the subprocess suites
 * prove the same code behaves once built.
 */

import { readFileSync } from "node:fs";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import type { CliIo } from "../../src/cli/cli-io.js";
import { commands, runCli } from "../../src/cli/run-cli.js";

function fakeIo(options: { env?: Record<string, string>; brokenStdout?: boolean } = {}) {
  const out = { stdout: "", stderr: "" };
  const stdin = new PassThrough();
  stdin.end();
  const io: CliIo = {
    stdout: {
      write(text: string) {
        if (options.brokenStdout) throw new Error("EIO: i/o error, write");
        out.stdout += text;
        return true;
      },
    },
    stderr: {
      write(text: string) {
        out.stderr += text;
        return true;
      },
    },
    stdin,
    env: options.env ?? {},
    onSignal: () => () => {},
  };
  return { io, out };
}

async function cli(argv: string[], options?: Parameters<typeof fakeIo>[0]) {
  const { io, out } = fakeIo(options);
  const code = await runCli(argv, io);
  return { code, ...out };
}

const version = (
  JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    version: string;
  }
).version;

describe("help and version", () => {
  it("--version prints the package.json version", async () => {
    expect(await cli(["--version"])).toEqual({ code: 0, stdout: `${version}\n`, stderr: "" });
    expect((await cli(["-V"])).stdout).toBe(`${version}\n`);
  });

  it("--help lists every command and the exit codes on stdout", async () => {
    const result = await cli(["--help"]);
    expect(result.code).toBe(0);
    for (const command of commands) expect(result.stdout).toContain(`  ${command.spec.name} `);
    expect(result.stdout).toMatch(/^ +130 +interrupted by Ctrl-C; the run was NOT aborted$/m);
    expect(result.stdout).toMatch(/^ +64 +usage error$/m);
  });

  it("no command prints help on stderr and exits 64", async () => {
    const result = await cli([]);
    expect(result.code).toBe(64);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("Usage: flyte-remote <command>");
  });

  it.each(commands.map((c) => c.spec.name))(
    "%s --help shows usage, options and examples",
    async (name) => {
      const result = await cli([name, "--help"]);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`^Usage: flyte-remote ${name}`));
      expect(result.stdout).toContain("  -h, --help");
      expect(result.stdout).toMatch(/\nExamples:\n {2}# .+\n {2}flyte-remote /);
      expect((await cli(["help", name])).stdout).toBe(result.stdout);
      expect((await cli([name, "--bogus", "-h"])).stdout).toBe(result.stdout);
    },
  );

  it("wait --help documents every exit code", async () => {
    const { stdout } = await cli(["wait", "--help"]);
    for (const code of [0, 1, 2, 3, 4, 5, 6, 64, 130])
      expect(stdout).toMatch(new RegExp(`^ +${code} +\\S`, "m"));
  });
});

describe("usage errors exit 64 with a pointer to --help", () => {
  it.each([
    [["dmeo"], "flyte-remote: unknown command 'dmeo'; did you mean 'demo'?"],
    [["--verbose"], "flyte-remote: unknown option '--verbose'"],
    [["wait", "r1"], "flyte-remote wait: no endpoint: pass --endpoint URL or set FLYTE_ENDPOINT"],
    [
      ["wait", "r1", "--endpoint", "http://h", "--timeout", "30"],
      '--timeout: "30" is not a duration',
    ],
    [
      ["wait", "r1", "--endpoint", "http://h", "--protocol", "smtp"],
      "--protocol must be one of grpc, connect, grpc-web",
    ],
    [["wait", "r1", "--endpoint", "ftp://h"], "endpoint scheme ftp: is not supported"],
    [["wait"], "flyte-remote wait: missing <run-name>"],
    [["serve", "--port", "70000"], "--port must be a whole number from 0 to 65535"],
    [["serve", "--speed", "0"], "--speed must be a positive number, got '0'"],
    [["explain", "--kind", "mine"], "--kind must be one of user, system, unknown"],
    [["explain", "-"], "flyte-remote explain: the input is empty"],
  ])("%j", async (argv, message) => {
    const result = await cli(argv);
    expect(result.code).toBe(64);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain(message);
    expect(result.stderr).toMatch(/Run 'flyte-remote( \w+)? --help' for usage\.\n$/);
  });

  it("reads the endpoint from FLYTE_ENDPOINT before complaining about anything else", async () => {
    const result = await cli(["wait", "r1", "--timeout", "soon"], {
      env: { FLYTE_ENDPOINT: "http://127.0.0.1:1" },
    });
    expect(result.code).toBe(64);
    expect(result.stderr).toContain('--timeout: "soon" is not a duration');
  });
});

describe("failures of the CLI itself", () => {
  it("are one short system-scoped line, exit 2, no stack", async () => {
    const result = await cli(["--version"], { brokenStdout: true });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "flyte-remote: internal error (kind system): EIO: i/o error, write\nRun again with --debug for the stack trace.\n",
    );
  });

  it("show the stack with --debug", async () => {
    const result = await cli(["--debug", "explain", "-", "--json"], { brokenStdout: true });
    // Empty stdin is a usage error before anything is written: still 64, not a crash.
    expect(result.code).toBe(64);
    const broken = await cli(["--version", "--debug"], { brokenStdout: true });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain("internal error (kind system): EIO: i/o error, write\n");
    expect(broken.stderr).toMatch(/^ {4}at /m);
  });
});

describe("--version after a command, and -v", () => {
  const commandNames = commands.map((c) => c.spec.name).join(", ");

  it.each(commands.map((c) => c.spec.name))("%s --version prints the version", async (name) => {
    for (const argv of [
      [name, "--version"],
      [name, "-V"],
      [name, "x", "--debug", "-V"],
    ]) {
      expect(await cli(argv)).toEqual({ code: 0, stdout: `${version}\n`, stderr: "" });
    }
    // After `--` it is an argument, not a request for the version.
    expect((await cli([name, "--", "--version"])).stdout).not.toBe(`${version}\n`);
  });

  it.each([
    [["-v"], "flyte-remote: unknown option '-v'; did you mean -V (--version)?\n"],
    [["--verison"], "flyte-remote: unknown option '--verison'; did you mean --version?\n"],
    [
      ["demo", "-v"],
      "flyte-remote demo: unknown option '-v' for 'demo'; did you mean -V (--version)?\n",
    ],
    [
      ["serve", "-P", "1"],
      "flyte-remote serve: unknown option '-P' for 'serve'; did you mean -p (--port)?\n",
    ],
    [
      ["-x"],
      `flyte-remote: unknown option '-x'. Before a command only -h/--help, -V/--version and --debug are options; commands: ${commandNames}.\n`,
    ],
    [["foo"], `flyte-remote: unknown command 'foo'. Commands: ${commandNames}.\n`],
  ])("%j is a usage error that says what was meant", async (argv, line) => {
    const result = await cli(argv);
    expect(result.code).toBe(64);
    expect(result.stdout).toBe("");
    expect(result.stderr.split("\n")[0]).toBe(line.trimEnd());
    expect(result.stderr).toMatch(/Run 'flyte-remote( \w+)? --help' for usage\.\n$/);
  });

  it("every command's help lists -V, --version", async () => {
    for (const command of commands) {
      expect((await cli([command.spec.name, "--help"])).stdout).toMatch(/^ {2}-V, --version +\S/m);
    }
  });
});
