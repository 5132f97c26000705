/**
 * Strict argument parsing with `node:util` `parseArgs`, driven by a {@link CommandSpec}.
 * Node's own messages talk about its API; these talk about the command and point at
 * `--help`.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { type CommandSpec, commonOptions, type OptionSpec } from "./command.js";
import { closest } from "./suggest.js";
import { UsageError } from "./usage-error.js";

/** Parsed flags: strings and booleans by name, `undefined` when not given. */
export type ParsedOptions = Readonly<Record<string, string | boolean | undefined>>;

/** The result of {@link parseCommandArgs}. */
export interface ParsedArgs {
  readonly options: ParsedOptions;
  readonly positionals: readonly string[];
}

/** Every flag of `spec`, the common ones included. */
export function allOptions(spec: CommandSpec): readonly OptionSpec[] {
  return [...spec.options, ...commonOptions];
}

/**
 * Whether the arguments ask for help. Checked before strict parsing, so
 * `wait --tiemout --help` still shows help instead of complaining.
 */
export function wantsHelp(args: readonly string[]): boolean {
  for (const arg of args) {
    if (arg === "--") return false;
    if (arg === "--help" || arg === "-h") return true;
  }
  return false;
}

/**
 * Whether the arguments ask for the version, anywhere before `--`, so `wait r1 --version`
 * answers as `--version` does.
 */
export function wantsVersion(args: readonly string[]): boolean {
  for (const arg of args) {
    if (arg === "--") return false;
    if (arg === "--version" || arg === "-V") return true;
  }
  return false;
}

/**
 * The flag that was probably meant by an unknown `flag`: a short one that differs only in
 * case (`-v` for `-V`), or a long one within a typo's distance (`--verison`).
 */
export function meantFlag(flag: string, options: readonly OptionSpec[]): string | undefined {
  const short = /^-([^-])$/.exec(flag)?.[1];
  if (short !== undefined) {
    const option = options.find((o) => o.short?.toLowerCase() === short.toLowerCase());
    return option === undefined ? undefined : `-${option.short} (--${option.name})`;
  }
  if (!flag.startsWith("--")) return undefined;
  return closest(
    flag,
    options.map((o) => `--${o.name}`),
  );
}

function flagOf(message: string): string {
  return /'(-{1,2}[^' ]+)/.exec(message)?.[1] ?? "";
}

/**
 * Parses `args` strictly: an unknown flag, a missing value, or a positional too many is
 * a {@link UsageError} that names the command and, for a typo, the flag that was meant.
 */
export function parseCommandArgs(spec: CommandSpec, args: readonly string[]): ParsedArgs {
  const options = allOptions(spec);
  const config: Record<string, { type: "string" | "boolean"; short?: string | undefined }> = {};
  for (const option of options) {
    config[option.name] =
      option.short === undefined
        ? { type: option.type }
        : { type: option.type, short: option.short };
  }
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...args], options: config, strict: true, allowPositionals: true });
  } catch (error) {
    throw translate(spec, options, error);
  }
  const maxPositionals = spec.positionals.length;
  if (parsed.positionals.length > maxPositionals) {
    const extra = parsed.positionals[maxPositionals] ?? "";
    const takes =
      maxPositionals === 0
        ? "takes no arguments"
        : `takes at most ${maxPositionals} argument${maxPositionals === 1 ? "" : "s"}`;
    throw new UsageError(`unexpected argument '${extra}': '${spec.name}' ${takes}`, spec.name);
  }
  const missing = spec.positionals.find(
    (p, i) => p.required && parsed.positionals[i] === undefined,
  );
  if (missing !== undefined) {
    throw new UsageError(`missing <${missing.name}>: ${missing.description}`, spec.name);
  }
  const values: Record<string, string | boolean | undefined> = {};
  for (const option of options) {
    const value = parsed.values[option.name];
    if (typeof value === "string" || typeof value === "boolean") values[option.name] = value;
  }
  return { options: values, positionals: parsed.positionals };
}

function translate(spec: CommandSpec, options: readonly OptionSpec[], error: unknown): Error {
  if (!(error instanceof Error)) return new UsageError(String(error), spec.name);
  const code = (error as { code?: unknown | undefined }).code;
  const flag = flagOf(error.message);
  switch (code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION": {
      const typo = meantFlag(flag, options);
      const suggestion = typo === undefined ? "" : `; did you mean ${typo}?`;
      return new UsageError(`unknown option '${flag}' for '${spec.name}'${suggestion}`, spec.name);
    }
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE": {
      const name = flag.replace(/^-+/, "");
      const option = options.find((o) => o.name === name || o.short === name);
      if (option?.type === "boolean") {
        return new UsageError(`option '--${option.name}' takes no value`, spec.name);
      }
      const placeholder = option?.value ?? "VALUE";
      return new UsageError(
        `option '--${option?.name ?? name}' needs a value: --${option?.name ?? name} ${placeholder}`,
        spec.name,
      );
    }
    default:
      return new UsageError(error.message, spec.name);
  }
}

/** A string option's value; `undefined` when absent. */
export function stringOption(options: ParsedOptions, name: string): string | undefined {
  const value = options[name];
  return typeof value === "string" ? value : undefined;
}

/** A boolean option's value; `false` when absent. */
export function booleanOption(options: ParsedOptions, name: string): boolean {
  return options[name] === true;
}
