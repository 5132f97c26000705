/**
 * Where a command connects and as whom: the Flyte config file (found as the Python `flyte`
 * CLI finds it), the environment, and the command's own flags, in that rising order of
 * precedence. Shared by `wait`, `explain --run`, `login`, `logout` and `whoami`.
 *
 * @module
 */

import { apiKeyFromEnv } from "../auth/api-key.js";
import type { Authenticator } from "../auth/authenticator.js";
import type { DevicePrompt } from "../auth/device-flow.js";
import { defaultTokenCacheDir, fileTokenStore } from "../auth/node/file-token-store.js";
import { loopbackReceiver } from "../auth/node/loopback-receiver.js";
import { clientOptionsFromConfig } from "../config/client-from-config.js";
import type { FlyteConfig } from "../config/read-config.js";
import { isFlyteError } from "../errors/index.js";
import {
  type ClientOptions,
  createClient,
  type FlyteClient,
  type Protocol,
} from "../index.node.js";
import { type ParsedOptions, stringOption } from "./args.js";
import type { CliIo } from "./cli-io.js";
import type { OptionSpec } from "./command.js";
import { UsageError } from "./usage-error.js";

/** `--config` and `--endpoint`, which every command that connects takes. */
export const connectionOptions: readonly OptionSpec[] = [
  {
    name: "config",
    type: "string",
    value: "FILE",
    description:
      "Flyte config file (default: ./config.yaml, ./.flyte/config.yaml, the git root's .flyte/config.yaml, $UCTL_CONFIG, $FLYTECTL_CONFIG, ~/.union/config.yaml, ~/.flyte/config.yaml).",
  },
  {
    name: "endpoint",
    type: "string",
    value: "URL",
    description: "Flyte endpoint (default: $FLYTE_ENDPOINT, else the config's admin.endpoint).",
  },
];

const protocols: readonly Protocol[] = ["grpc", "connect", "grpc-web"];

/** `--protocol`. */
export const protocolOption: OptionSpec = {
  name: "protocol",
  type: "string",
  value: "NAME",
  description: "grpc (default), connect or grpc-web.",
};

/** The `--protocol` flag, checked before anything is read or opened. */
export function protocolOf(options: ParsedOptions, command: string): Protocol | undefined {
  const protocol = stringOption(options, "protocol");
  if (protocol !== undefined && !protocols.includes(protocol as Protocol)) {
    throw new UsageError(
      `--protocol must be one of ${protocols.join(", ")}, got '${protocol}'`,
      command,
    );
  }
  return protocol as Protocol | undefined;
}

/** `--org`, `--project` and `--domain`. */
export const scopeOptions: readonly OptionSpec[] = [
  {
    name: "project",
    type: "string",
    value: "P",
    description: "Project of the run (default: the config's task.project).",
  },
  {
    name: "domain",
    type: "string",
    value: "D",
    description: "Domain of the run (default: the config's task.domain).",
  },
  {
    name: "org",
    type: "string",
    value: "O",
    description: "Org of the run, for multi-tenant servers (default: task.org, or the API key's).",
  },
];

/** How the command signs in, for people to read. */
export type AuthMethod = string;

/** What a command connects with. */
export interface Connection {
  readonly config: FlyteConfig;
  /** Options for `createClient`; `endpoint` is set unless {@link requireEndpoint} failed. */
  readonly client: ClientOptions;
  readonly endpoint: string | undefined;
  readonly auth: Authenticator | undefined;
  /** For example `Pkce (admin.authType)`, `API key (FLYTE_API_KEY)`. */
  readonly method: AuthMethod;
  /** Every secret in play now, for the CLI's last-line scrubber. */
  secrets(): string[];
}

/** Options of {@link resolveConnection}. */
export interface ConnectionMode {
  readonly command: string;
  /** Whether a browser sign-in or a device code may be asked for. */
  readonly signIn: boolean;
  /** `login --device`. */
  readonly device?: boolean | undefined;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

/** Writes the device flow's prompt where a person sees it, never on stdout. */
function devicePrompt(io: CliIo): (prompt: DevicePrompt) => void {
  return (prompt) => {
    io.stderr.write(
      `To sign in, open ${prompt.verificationUri} in a browser and enter the code ${prompt.userCode}\n` +
        (prompt.verificationUriComplete === undefined
          ? ""
          : `(or open ${prompt.verificationUriComplete})\n`),
    );
  };
}

/**
 * Reads the config and the environment, then applies the flags. `FLYTE_API_KEY` (or
 * `UNION_API_KEY`) is decoded as an API key; `FLYTE_TOKEN` is sent as a bearer token as it
 * is; otherwise `admin.authType` decides.
 */
export async function resolveConnection(
  options: ParsedOptions,
  io: CliIo,
  mode: ConnectionMode,
): Promise<Connection> {
  const env = io.env;
  const rawToken = nonEmpty(env.FLYTE_TOKEN);
  const apiKey = apiKeyFromEnv(env);
  const endpoint = nonEmpty(stringOption(options, "endpoint")) ?? nonEmpty(env.FLYTE_ENDPOINT);
  const scope: {
    org?: string | undefined;
    project?: string | undefined;
    domain?: string | undefined;
  } = {};
  for (const key of ["org", "project", "domain"] as const) {
    const value = nonEmpty(stringOption(options, key));
    if (value !== undefined) scope[key] = value;
  }
  const settings = await clientOptionsFromConfig({
    config: stringOption(options, "config"),
    env,
    signIn: mode.signIn,
    device: mode.device,
    store: fileTokenStore({ dir: defaultTokenCacheDir(env) }),
    prompt: devicePrompt(io),
    receiver: loopbackReceiver({
      onUrl: (url, opened) => {
        io.stderr.write(
          opened
            ? `Signing in through your browser. If nothing opened, go to:\n  ${url}\n`
            : `Open this URL in a browser to sign in:\n  ${url}\n`,
        );
      },
    }),
    client: {
      ...scope,
      ...(endpoint === undefined ? {} : { endpoint }),
      ...(apiKey === undefined && rawToken !== undefined ? { token: rawToken } : {}),
    },
  }).catch((error: unknown) => {
    if (isFlyteError(error) && error.code === "ConfigNotFound") {
      throw new UsageError(error.rawMessage, mode.command);
    }
    throw error;
  });
  const auth = settings.options.auth;
  const method = describeMethod(settings.config, mode, env, auth);
  return {
    config: settings.config,
    client: settings.options,
    endpoint: settings.options.endpoint,
    auth,
    method,
    secrets: () => [
      ...(rawToken === undefined ? [] : [rawToken]),
      ...(apiKey === undefined ? [] : [apiKey]),
      ...(auth?.secrets() ?? []),
    ],
  };
}

/** How the command signs in, in the order {@link resolveConnection} decides it. */
function describeMethod(
  config: FlyteConfig,
  mode: ConnectionMode,
  env: Readonly<Record<string, string | undefined>>,
  auth: Authenticator | undefined,
): AuthMethod {
  if (nonEmpty(env.FLYTE_API_KEY) !== undefined) return "API key (FLYTE_API_KEY)";
  if (nonEmpty(env.UNION_API_KEY) !== undefined) return "API key (UNION_API_KEY)";
  if (nonEmpty(env.FLYTE_TOKEN) !== undefined) return "bearer token (FLYTE_TOKEN)";
  if (auth === undefined) return "none (admin.authType Passthrough)";
  const secret =
    config.clientSecretLocation !== undefined || config.clientSecretEnvVar !== undefined;
  const type = mode.device ? "DeviceFlow" : secret ? "ClientSecret" : (config.authType ?? "Pkce");
  return config.source === undefined ? type : `${type} (${config.source})`;
}

/** The endpoint, or the usage error that says every way to give one. */
export function requireEndpoint(connection: Connection, command: string): string {
  if (connection.endpoint === undefined) {
    throw new UsageError(
      "no endpoint: pass --endpoint URL or set FLYTE_ENDPOINT (or admin.endpoint in a Flyte config file, or FLYTE_API_KEY)",
      command,
    );
  }
  return connection.endpoint;
}

/** Creates the client; a bad endpoint is a wrong command line. */
export function openClient(options: ClientOptions, command: string): FlyteClient {
  try {
    return createClient(options);
  } catch (error) {
    // A bad endpoint is a wrong command line, not a failure of the run.
    if (isFlyteError(error) && error.name === "InitializationError") {
      throw new UsageError(error.rawMessage, command);
    }
    throw error;
  }
}
