/**
 * The keys of the Flyte config file that flyte-remote reads: the same keys, types and
 * environment overrides as the Python SDK's `flyte.config`. The README's table is checked
 * against this list.
 *
 * @module
 */

/** How a value is read. */
export type ConfigValueType = "string" | "boolean" | "list" | "command";

/** One key of the config file. */
export interface ConfigKey {
  /** Dotted, as in the file: `admin.endpoint`. */
  readonly key: string;
  readonly type: ConfigValueType;
  /** What it means. */
  readonly meaning: string;
  /** What applies when it is not set. */
  readonly default: string;
}

/** Every key read, in the order the README lists them. */
export const CONFIG_KEYS = [
  {
    key: "admin.endpoint",
    type: "string",
    meaning:
      "The Flyte endpoint: `dns:///host:port`, `host:port`, `https://host` or `http://host:port`.",
    default: "none; required unless an API key gives it",
  },
  {
    key: "admin.insecure",
    type: "boolean",
    meaning: "Plain HTTP instead of TLS, for local clusters.",
    default: "`false`",
  },
  {
    key: "admin.insecureSkipVerify",
    type: "boolean",
    meaning: "TLS without verifying the server's certificate; for test clusters only.",
    default: "`false`",
  },
  {
    key: "admin.caCertFilePath",
    type: "string",
    meaning: "A PEM file of CAs to trust besides the system's, for clusters with a private CA.",
    default: "the system's CAs",
  },
  {
    key: "admin.authType",
    type: "string",
    meaning:
      "How to sign in: `Pkce` (browser), `DeviceFlow` (a code to enter elsewhere), `ClientSecret` (a service's id and secret), `ExternalCommand` (a command prints the token) or `Passthrough` (the caller's token).",
    default:
      "`ClientSecret` when a client secret is configured, else `Pkce`, which signs in only once the server asks for a token",
  },
  {
    key: "admin.clientId",
    type: "string",
    meaning: "The OAuth2 client id; required for `ClientSecret`.",
    default: "the cluster's public client (discovery)",
  },
  {
    key: "admin.clientSecretLocation",
    type: "string",
    meaning: "A file holding the client secret (trailing newline ignored).",
    default: "none",
  },
  {
    key: "admin.clientSecretEnvVar",
    type: "string",
    meaning: "The name of an environment variable holding the client secret.",
    default: "none",
  },
  {
    key: "admin.command",
    type: "command",
    meaning:
      "For `ExternalCommand`: the program and arguments that print a token, as a YAML list (or one shell-quoted string).",
    default: "none",
  },
  {
    key: "admin.scopes",
    type: "list",
    meaning: "OAuth2 scopes to request.",
    default: "the cluster's (discovery)",
  },
  {
    key: "task.org",
    type: "string",
    meaning: "The org of runs, on multi-tenant clusters.",
    default: "none (the API key's org, if any)",
  },
  { key: "task.project", type: "string", meaning: "The project of runs.", default: "none" },
  { key: "task.domain", type: "string", meaning: "The domain of runs.", default: "none" },
] as const satisfies readonly ConfigKey[];

/** A key's name. */
export type ConfigKeyName = (typeof CONFIG_KEYS)[number]["key"];

/**
 * The environment variable that overrides a key, as the Python SDK names it:
 * `FLYTE_<SECTION>_<OPTION>` in upper case, for example `FLYTE_ADMIN_CACERTFILEPATH`.
 */
export function envNameOf(key: string): string {
  return `FLYTE_${key.toUpperCase().replace(/\./g, "_")}`;
}
