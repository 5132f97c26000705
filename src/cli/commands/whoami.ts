/**
 * `flyte-remote whoami`: who the CLI connects as, where, and until when. It never prints a
 * token, and never signs anyone in: with no kept sign-in it says how to get one.
 *
 * @module
 */

import { booleanOption, parseCommandArgs } from "../args.js";
import type { Command, CommandContext, CommandSpec } from "../command.js";
import { connectionOptions, requireEndpoint, resolveConnection } from "../connection.js";
import { formatElapsed } from "../duration.js";
import { ExitCode } from "../exit-codes.js";
import { programName } from "../help.js";
import { describeIdentity } from "../identity.js";
import { scrubber } from "../scrub.js";

/** The spec of `whoami`. */
export const whoamiSpec: CommandSpec = {
  name: "whoami",
  summary: "Show who the CLI signs in as, where, and until when.",
  description: [
    "Prints the endpoint, the principal the token names (email, user name, subject or client id), its issuer, when it expires, and how the CLI signs in. Service credentials (an API key, a client secret, a command) get a token to show; a person's sign-in is only read from what `flyte-remote login` kept. Exits 7 when nobody is signed in. The token itself is never printed.",
  ],
  positionals: [],
  options: [
    ...connectionOptions,
    { name: "json", type: "boolean", description: "Print the same as a JSON object." },
  ],
  examples: [[`${programName} whoami`, "Who am I on the config's cluster?"]],
};

async function run(args: readonly string[], context: CommandContext) {
  const { io } = context;
  const { options } = parseCommandArgs(whoamiSpec, args);
  const connection = await resolveConnection(options, io, { command: "whoami", signIn: false });
  const endpoint = requireEndpoint(connection, "whoami");
  const auth = connection.auth;
  const fixed = connection.client.token;
  const token =
    auth === undefined
      ? typeof fixed === "string"
        ? fixed
        : undefined
      : auth.tokenIfSignedIn !== undefined
        ? await auth.tokenIfSignedIn()
        : await auth.token();
  const scrub = scrubber(connection.secrets());
  if (token === undefined) {
    const body = { endpoint, signedIn: false, method: connection.method };
    io.stdout.write(
      booleanOption(options, "json")
        ? `${JSON.stringify(body, null, 2)}\n`
        : `Not signed in to ${endpoint} (${connection.method}). Run \`${programName} login\` first.\n`,
    );
    return ExitCode.access;
  }
  const identity = describeIdentity(token);
  if (booleanOption(options, "json")) {
    const body = {
      endpoint,
      signedIn: true,
      principal: identity.principal,
      ...(identity.issuer === undefined ? {} : { issuer: identity.issuer }),
      ...(identity.expiresAt === undefined ? {} : { expiresAt: identity.expiresAt.toISOString() }),
      method: connection.method,
    };
    io.stdout.write(`${scrub(JSON.stringify(body, null, 2))}\n`);
    return ExitCode.ok;
  }
  const expires =
    identity.expiresAt === undefined
      ? "unknown (the token does not say)"
      : `${identity.expiresAt.toISOString()} (${
          identity.expiresAt.getTime() > Date.now()
            ? `in ${formatElapsed(identity.expiresAt.getTime() - Date.now())}`
            : "expired; it is renewed on the next call"
        })`;
  const rows: [string, string][] = [
    ["endpoint", endpoint],
    ["principal", identity.principal],
    ...(identity.issuer === undefined ? [] : [["issuer", identity.issuer] as [string, string]]),
    ["expires", expires],
    ["sign-in", connection.method],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  io.stdout.write(scrub(`${rows.map(([l, v]) => `${l.padEnd(width)}  ${v}`).join("\n")}\n`));
  return ExitCode.ok;
}

/** `flyte-remote whoami`. */
export const whoamiCommand: Command = { spec: whoamiSpec, run };
