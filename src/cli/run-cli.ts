/**
 * The whole CLI as a function of its arguments and surroundings: dispatch, help,
 * version, and the last line of defence that turns anything thrown into a short
 * message and an exit status. `main.ts` only wires it to the process.
 *
 * @module
 */

import { isFlyteError } from "../errors/index.js";
import { meantFlag, wantsHelp, wantsVersion } from "./args.js";
import type { CliIo } from "./cli-io.js";
import { type Command, commonOptions } from "./command.js";
import { demoCommand } from "./commands/demo.js";
import { explainCommand } from "./commands/explain.js";
import { loginCommand } from "./commands/login.js";
import { logoutCommand } from "./commands/logout.js";
import { logsCommand } from "./commands/logs.js";
import { serveCommand } from "./commands/serve.js";
import { waitCommand } from "./commands/wait.js";
import { whoamiCommand } from "./commands/whoami.js";
import { ExitCode, exitCodeFor } from "./exit-codes.js";
import { programName, renderCommandHelp, renderMainHelp } from "./help.js";
import { colorEnabled, createStyle } from "./style.js";
import { closest } from "./suggest.js";
import { UsageError } from "./usage-error.js";
import { packageVersion } from "./version.js";

/** Every command, in the order help lists them. */
export const commands: readonly Command[] = [
  demoCommand,
  serveCommand,
  waitCommand,
  logsCommand,
  explainCommand,
  loginCommand,
  logoutCommand,
  whoamiCommand,
];

function firstLine(text: string): string {
  const line = text.split("\n")[0] ?? "";
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
}

/**
 * Runs the CLI and resolves with the exit status; never rejects. Output goes to
 * `io.stdout` and `io.stderr` only.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const dashDash = argv.indexOf("--");
  const flags = dashDash === -1 ? argv : argv.slice(0, dashDash);
  const debug = flags.includes("--debug");
  const [name, ...rest] = argv.filter(
    (arg, i) => !(arg === "--debug" && (dashDash === -1 || i < dashDash)),
  );
  const specs = commands.map((c) => c.spec);
  const style = createStyle(colorEnabled(io.stderr, io.env));
  let command: Command | undefined;
  try {
    if (name === undefined) {
      io.stderr.write(renderMainHelp(specs));
      return ExitCode.usage;
    }
    if (name === "--help" || name === "-h") {
      io.stdout.write(renderMainHelp(specs));
      return ExitCode.ok;
    }
    if (name === "--version" || name === "-V") {
      io.stdout.write(`${packageVersion()}\n`);
      return ExitCode.ok;
    }
    if (name === "help") {
      const topic = commands.find((c) => c.spec.name === rest[0]);
      io.stdout.write(topic === undefined ? renderMainHelp(specs) : renderCommandHelp(topic.spec));
      return ExitCode.ok;
    }
    command = commands.find((c) => c.spec.name === name);
    if (command === undefined) {
      const names = specs.map((s) => s.name).join(", ");
      if (name.startsWith("-")) {
        const meant = meantFlag(name, commonOptions);
        throw new UsageError(
          meant === undefined
            ? `unknown option '${name}'. Before a command only -h/--help, -V/--version and --debug are options; commands: ${names}.`
            : `unknown option '${name}'; did you mean ${meant}?`,
        );
      }
      const typo = closest(
        name,
        specs.map((s) => s.name),
      );
      throw new UsageError(
        `unknown command '${name}'${typo === undefined ? "." : `; did you mean '${typo}'?`} Commands: ${names}.`,
      );
    }
    if (wantsHelp(rest)) {
      io.stdout.write(renderCommandHelp(command.spec));
      return ExitCode.ok;
    }
    if (wantsVersion(rest)) {
      io.stdout.write(`${packageVersion()}\n`);
      return ExitCode.ok;
    }
    return await command.run(rest, { io, debug });
  } catch (error) {
    if (error instanceof UsageError) {
      const where = error.command ?? command?.spec.name;
      io.stderr.write(
        `${programName}${where === undefined ? "" : ` ${where}`}: ${error.message}\n`,
      );
      io.stderr.write(
        style.dim(
          `Run '${programName}${where === undefined ? "" : ` ${where}`} --help' for usage.\n`,
        ),
      );
      return ExitCode.usage;
    }
    if (isFlyteError(error)) {
      // A command let a typed error through: report it by its own kind.
      io.stderr.write(
        `${programName}: ${error.name} (${error.kind}): ${firstLine(error.rawMessage)}\n`,
      );
      io.stderr.write(`hint: ${error.hint}\n`);
      if (debug && error.stack !== undefined) io.stderr.write(`${error.stack}\n`);
      return exitCodeFor(error);
    }
    // A failure of the CLI itself: system-scoped, short, the stack only on request.
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`${programName}: internal error (kind system): ${firstLine(message)}\n`);
    if (debug) {
      io.stderr.write(
        `${error instanceof Error && error.stack !== undefined ? error.stack : String(error)}\n`,
      );
    } else {
      io.stderr.write(style.dim("Run again with --debug for the stack trace.\n"));
    }
    return ExitCode.system;
  }
}
