/**
 * `--help` text, generated from the same spec the parser uses.
 *
 * @module
 */

import { allOptions } from "./args.js";
import type { CommandSpec } from "./command.js";
import { exitCodeTable } from "./exit-codes.js";

/** The program's name as users type it. */
export const programName = "flyte-remote";

function usageLine(spec: CommandSpec): string {
  const positionals = spec.positionals.map((p) => (p.required ? `<${p.name}>` : `[${p.name}]`));
  return [programName, spec.name, ...positionals, "[options]"].join(" ");
}

function columns(rows: readonly (readonly [string, string])[], indent = "  "): string[] {
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `${indent}${left.padEnd(width)}  ${right}`);
}

/** The exit-code table, as lines. */
export function exitCodeLines(): string[] {
  return columns(exitCodeTable.map(([code, meaning]) => [String(code).padStart(3), meaning]));
}

/** The full `--help` of one command. */
export function renderCommandHelp(spec: CommandSpec): string {
  const lines = [`Usage: ${usageLine(spec)}`, "", spec.summary];
  for (const paragraph of spec.description) lines.push("", paragraph);
  if (spec.positionals.length > 0) {
    lines.push("", "Arguments:");
    lines.push(...columns(spec.positionals.map((p) => [p.name, p.description])));
  }
  lines.push("", "Options:");
  lines.push(
    ...columns(
      allOptions(spec).map((o) => {
        const short = o.short === undefined ? "    " : `-${o.short}, `;
        const value = o.value === undefined ? "" : ` ${o.value}`;
        return [`${short}--${o.name}${value}`, o.description];
      }),
    ),
  );
  if (spec.showsExitCodes === true) lines.push("", "Exit codes:", ...exitCodeLines());
  lines.push("", "Examples:");
  for (const [command, comment] of spec.examples) lines.push(`  # ${comment}`, `  ${command}`, "");
  return `${lines.join("\n").trimEnd()}\n`;
}

/** The top-level help: the commands, the global flags and the exit codes. */
export function renderMainHelp(specs: readonly CommandSpec[]): string {
  const lines = [
    `Usage: ${programName} <command> [options]`,
    "",
    "A Flyte 2 client with a typed error model, and a local Flyte-compatible test server.",
    "",
    "Commands:",
    ...columns(specs.map((s) => [s.name, s.summary])),
    "",
    "Options:",
    ...columns([
      ["-h, --help", "Show help; `<command> --help` for a command's own."],
      ["-V, --version", "Print the version."],
      ["    --debug", "On an internal failure, print the stack trace as well."],
    ]),
    "",
    "Environment:",
    ...columns([
      ["FLYTE_ENDPOINT", "Endpoint when --endpoint is not given (before the config file's)."],
      [
        "FLYTE_API_KEY, UNION_API_KEY",
        "An API key: endpoint, org and credentials (never printed).",
      ],
      ["FLYTE_TOKEN", "A bearer token, sent as it is (never printed)."],
      [
        "FLYTE_ADMIN_*, FLYTE_TASK_*",
        "Override the Flyte config file's keys (FLYTE_ADMIN_ENDPOINT...).",
      ],
      ["NO_COLOR", "Set to anything to turn colour off."],
    ]),
    "",
    "Exit codes (wait):",
    ...exitCodeLines(),
    "",
    "Examples:",
    `  ${programName} demo              # every failure mode, end to end, on a local server`,
    `  ${programName} serve --port 8089 # a local server for your own app to point at`,
    `  ${programName} wait my-run --endpoint http://localhost:8089`,
    `  ${programName} login            # sign in as the Flyte config file says; whoami, logout`,
    `  ${programName} explain error.pb`,
  ];
  return `${lines.join("\n")}\n`;
}
