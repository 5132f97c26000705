/**
 * Reads a Flyte config file and its `FLYTE_*` environment overrides into typed settings, with
 * a clear error that names the file (or variable) and the key for anything it cannot use.
 *
 * @module
 */

import { readFile } from "node:fs/promises";
import { parseDocument } from "yaml";
import { InitializationError } from "../errors/index.js";
import { CONFIG_KEYS, type ConfigKeyName, type ConfigValueType, envNameOf } from "./config-keys.js";
import { type FindConfigOptions, findConfigFile } from "./find-config.js";
import { splitCommandLine } from "./split-command-line.js";

/** The ways to sign in that `admin.authType` names. */
export const AUTH_TYPES = [
  "Pkce",
  "DeviceFlow",
  "ClientSecret",
  "ExternalCommand",
  "Passthrough",
] as const;

/** One of {@link AUTH_TYPES}. */
export type AuthType = (typeof AUTH_TYPES)[number];

/** The settings of a config file, after environment overrides. Unset keys are absent. */
export interface FlyteConfig {
  /** The file read, if any. */
  readonly source?: string | undefined;
  readonly endpoint?: string | undefined;
  readonly insecure: boolean;
  readonly insecureSkipVerify: boolean;
  readonly caCertFilePath?: string | undefined;
  readonly authType?: AuthType | undefined;
  readonly clientId?: string | undefined;
  readonly clientSecretLocation?: string | undefined;
  readonly clientSecretEnvVar?: string | undefined;
  readonly command?: readonly string[] | undefined;
  readonly scopes?: readonly string[] | undefined;
  readonly org?: string | undefined;
  readonly project?: string | undefined;
  readonly domain?: string | undefined;
}

/** Options of {@link loadFlyteConfig}. */
export type LoadConfigOptions = FindConfigOptions;

type Value = string | boolean | string[];

function invalidConfig(where: string, message: string, cause?: unknown): InitializationError {
  return new InitializationError({
    code: "InvalidConfig",
    message: `${where}: ${message}`,
    hint: "Fix the config file or the environment variable named in the message.",
    ...(cause === undefined ? {} : { cause }),
  });
}

/** Converts one raw value (from YAML or the environment) to the key's type. */
function convert(
  raw: unknown,
  type: ConfigValueType,
  where: string,
  key: string,
): Value | undefined {
  if (raw === null || raw === undefined) return undefined;
  switch (type) {
    case "string":
      if (typeof raw === "string") return raw.trim() === "" ? undefined : raw.trim();
      if (typeof raw === "number") return String(raw);
      throw invalidConfig(where, `${key} must be a string, got ${describe(raw)}`);
    case "boolean": {
      if (typeof raw === "boolean") return raw;
      const text = typeof raw === "string" ? raw.trim().toLowerCase() : undefined;
      if (text !== undefined && ["true", "1", "yes", "on", "y"].includes(text)) return true;
      if (text !== undefined && ["false", "0", "no", "off", "n", ""].includes(text)) return false;
      throw invalidConfig(where, `${key} must be true or false, got ${describe(raw)}`);
    }
    case "list":
    case "command": {
      if (Array.isArray(raw)) {
        if (!raw.every((v) => typeof v === "string" || typeof v === "number")) {
          throw invalidConfig(where, `${key} must be a list of strings, got ${describe(raw)}`);
        }
        const list = raw.map(String);
        return list.length === 0 ? undefined : list;
      }
      if (typeof raw !== "string") {
        throw invalidConfig(where, `${key} must be a list of strings, got ${describe(raw)}`);
      }
      const text = raw.trim();
      if (text === "") return undefined;
      if (text.startsWith("[")) {
        try {
          const parsed: unknown = JSON.parse(text);
          if (Array.isArray(parsed)) return parsed.map(String);
        } catch {
          // Not JSON: read as words below.
        }
      }
      if (type === "list") return text.split(/[,\s]+/).filter((w) => w !== "");
      try {
        return splitCommandLine(text);
      } catch (cause) {
        throw invalidConfig(where, `${key}: ${(cause as Error).message}`, cause);
      }
    }
  }
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object" && value !== null) return "a mapping";
  return JSON.stringify(value) ?? String(value);
}

/** Parses the YAML text of a file; the top level must be a mapping (or empty). */
export function parseConfigText(text: string, path: string): Record<string, unknown> {
  // YAML 1.1, as PyYAML reads these files: `yes` and `on` are booleans there too.
  const doc = parseDocument(text, { version: "1.1", prettyErrors: true, uniqueKeys: false });
  const first = doc.errors[0];
  if (first !== undefined) {
    const line = first.linePos?.[0];
    const at = line === undefined ? "" : ` (line ${line.line}, column ${line.col})`;
    throw invalidConfig(
      `config file ${path}`,
      `not valid YAML${at}: ${first.message.split("\n")[0] ?? first.code}`,
    );
  }
  const value: unknown = doc.toJS();
  if (value === null || value === undefined) return {};
  if (typeof value !== "object" || Array.isArray(value)) {
    throw invalidConfig(
      `config file ${path}`,
      `the top level must be a mapping, got ${describe(value)}`,
    );
  }
  return value as Record<string, unknown>;
}

/** The raw value at a dotted key; a section that is not a mapping is an error naming it. */
function lookup(root: Record<string, unknown>, key: string, where: string): unknown {
  const [section = "", option = ""] = key.split(".");
  const value = root[section];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) {
    throw invalidConfig(where, `${section} must be a mapping, got ${describe(value)}`);
  }
  return (value as Record<string, unknown>)[option];
}

/**
 * The settings of a parsed file (or none) with the environment's `FLYTE_<SECTION>_<OPTION>`
 * variables on top. An empty variable counts as unset.
 */
export function resolveConfig(
  root: Record<string, unknown>,
  source: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): FlyteConfig {
  const values = new Map<ConfigKeyName, Value>();
  for (const { key, type } of CONFIG_KEYS) {
    const envName = envNameOf(key);
    const fromEnv = env[envName];
    const value =
      fromEnv !== undefined && fromEnv !== ""
        ? convert(fromEnv, type, `environment variable ${envName}`, key)
        : source === undefined
          ? undefined
          : convert(lookup(root, key, `config file ${source}`), type, `config file ${source}`, key);
    if (value !== undefined) values.set(key, value);
  }
  const text = (key: ConfigKeyName) => {
    const v = values.get(key);
    return typeof v === "string" ? v : undefined;
  };
  const list = (key: ConfigKeyName) => {
    const v = values.get(key);
    return Array.isArray(v) ? v : undefined;
  };
  const authType = authTypeOf(text("admin.authType"), env, source);
  const settings: Record<string, unknown> = {
    source,
    endpoint: text("admin.endpoint"),
    insecure: values.get("admin.insecure") === true,
    insecureSkipVerify: values.get("admin.insecureSkipVerify") === true,
    caCertFilePath: text("admin.caCertFilePath"),
    authType,
    clientId: text("admin.clientId"),
    clientSecretLocation: text("admin.clientSecretLocation"),
    clientSecretEnvVar: text("admin.clientSecretEnvVar"),
    command: list("admin.command"),
    scopes: list("admin.scopes"),
    org: text("task.org"),
    project: text("task.project"),
    domain: text("task.domain"),
  };
  return Object.fromEntries(
    Object.entries(settings).filter(([, v]) => v !== undefined),
  ) as unknown as FlyteConfig;
}

function authTypeOf(
  value: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  source: string | undefined,
): AuthType | undefined {
  if (value === undefined) return undefined;
  const found = AUTH_TYPES.find((t) => t.toLowerCase() === value.toLowerCase());
  if (found !== undefined) return found;
  const envName = envNameOf("admin.authType");
  const where =
    env[envName] !== undefined && env[envName] !== ""
      ? `environment variable ${envName}`
      : `config file ${source ?? "(none)"}`;
  throw invalidConfig(where, `admin.authType '${value}' is not one of ${AUTH_TYPES.join(", ")}`);
}

/**
 * Finds the config file (see {@link findConfigFile}), reads it, and applies the environment
 * overrides. With no file, the environment alone is read. Throws `InitializationError`
 * (`ConfigNotFound`, `InvalidConfig`) naming the file or variable and the key.
 */
export async function loadFlyteConfig(options: LoadConfigOptions = {}): Promise<FlyteConfig> {
  const env = options.env ?? process.env;
  const found = await findConfigFile(options);
  if (found === undefined) return resolveConfig({}, undefined, env);
  let text: string;
  try {
    text = await readFile(found.path, "utf8");
  } catch (cause) {
    throw invalidConfig(
      `config file ${found.path}`,
      `cannot be read: ${(cause as Error).message}`,
      cause,
    );
  }
  return resolveConfig(parseConfigText(text, found.path), found.path, env);
}
