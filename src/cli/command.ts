/**
 * What a command is: a spec that drives both its argument parser and its `--help`, so
 * the two cannot disagree, and a function that turns arguments into an exit status.
 *
 * @module
 */

import type { CliIo } from "./cli-io.js";
import type { ExitCode } from "./exit-codes.js";

/** One `--flag` of a command. */
export interface OptionSpec {
  readonly name: string;
  readonly type: "string" | "boolean";
  readonly short?: string | undefined;
  /** The placeholder in help, e.g. `URL` for `--endpoint URL`. */
  readonly value?: string | undefined;
  readonly description: string;
}

/** One positional argument. */
export interface PositionalSpec {
  readonly name: string;
  readonly description: string;
  readonly required: boolean;
}

/** A command's help and parser configuration. */
export interface CommandSpec {
  readonly name: string;
  /** One line, shown in the command list. */
  readonly summary: string;
  /** Paragraphs shown under the usage line. */
  readonly description: readonly string[];
  readonly positionals: readonly PositionalSpec[];
  readonly options: readonly OptionSpec[];
  /** Each a command line and what it does. */
  readonly examples: readonly (readonly [command: string, comment: string])[];
  /** Whether `--help` prints the exit-code table. */
  readonly showsExitCodes?: boolean | undefined;
}

/** What every command gets besides its own arguments. */
export interface CommandContext {
  readonly io: CliIo;
  /** `--debug`: stacks and internal detail on stderr. */
  readonly debug: boolean;
}

/** A runnable command. */
export interface Command {
  readonly spec: CommandSpec;
  run(args: readonly string[], context: CommandContext): Promise<ExitCode>;
}

/** The flags every command accepts. */
export const commonOptions: readonly OptionSpec[] = [
  { name: "help", type: "boolean", short: "h", description: "Show this help." },
  { name: "version", type: "boolean", short: "V", description: "Print the version." },
  {
    name: "debug",
    type: "boolean",
    description: "On an internal failure, print the stack trace as well.",
  },
];
