/**
 * What every command that talks to a Flyte endpoint shares: the connection flags, where
 * the endpoint and the token come from, and turning them into a client.
 *
 * @module
 */

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

const protocols: readonly Protocol[] = ["grpc", "connect", "grpc-web"];

/** `--endpoint`, `--project`, `--domain`, `--org`, `--protocol`. */
export const remoteOptions: readonly OptionSpec[] = [
  {
    name: "endpoint",
    type: "string",
    value: "URL",
    description: "Flyte endpoint (default: $FLYTE_ENDPOINT).",
  },
  {
    name: "project",
    type: "string",
    value: "P",
    description: "Project of the run (default: the server's).",
  },
  {
    name: "domain",
    type: "string",
    value: "D",
    description: "Domain of the run (default: the server's).",
  },
  {
    name: "org",
    type: "string",
    value: "O",
    description: "Org of the run, for multi-tenant servers.",
  },
  {
    name: "protocol",
    type: "string",
    value: "NAME",
    description: "grpc (default), connect or grpc-web.",
  },
];

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

/** The token from FLYTE_API_KEY or FLYTE_TOKEN; it is sent, never printed. */
export function tokenFrom(io: CliIo): string | undefined {
  return nonEmpty(io.env.FLYTE_API_KEY) ?? nonEmpty(io.env.FLYTE_TOKEN);
}

/**
 * A client for the endpoint the flags or FLYTE_ENDPOINT name, with `extra` options on top.
 * A missing or malformed endpoint and an unknown protocol are usage errors of `command`.
 */
export function openRemoteClient(
  command: string,
  options: ParsedOptions,
  io: CliIo,
  extra: Partial<ClientOptions> = {},
): FlyteClient {
  const endpoint = nonEmpty(stringOption(options, "endpoint")) ?? nonEmpty(io.env.FLYTE_ENDPOINT);
  if (endpoint === undefined) {
    throw new UsageError("no endpoint: pass --endpoint URL or set FLYTE_ENDPOINT", command);
  }
  const protocol = stringOption(options, "protocol");
  if (protocol !== undefined && !protocols.includes(protocol as Protocol)) {
    throw new UsageError(
      `--protocol must be one of ${protocols.join(", ")}, got '${protocol}'`,
      command,
    );
  }
  const scope: { org?: string; project?: string; domain?: string } = {};
  for (const key of ["org", "project", "domain"] as const) {
    const value = stringOption(options, key);
    if (value !== undefined) scope[key] = value;
  }
  const token = tokenFrom(io);
  try {
    return createClient({
      endpoint,
      ...scope,
      ...(token === undefined ? {} : { token }),
      ...(protocol === undefined ? {} : { protocol: protocol as Protocol }),
      ...extra,
    });
  } catch (error) {
    // A bad endpoint is a wrong command line, not a failure of the run.
    if (isFlyteError(error) && error.name === "InitializationError") {
      throw new UsageError(error.rawMessage, command);
    }
    throw error;
  }
}
