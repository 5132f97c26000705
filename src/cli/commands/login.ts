/**
 * `flyte-remote login [--device]`: signs a person in once, through the browser (PKCE) or with
 * a device code, and keeps the tokens for later commands in a file only the user can read.
 *
 * @module
 */

import { booleanOption, parseCommandArgs } from "../args.js";
import type { Command, CommandContext, CommandSpec } from "../command.js";
import { connectionOptions, requireEndpoint, resolveConnection } from "../connection.js";
import { ExitCode } from "../exit-codes.js";
import { programName } from "../help.js";
import { describeIdentity } from "../identity.js";
import { scrubber } from "../scrub.js";
import { UsageError } from "../usage-error.js";

/** The spec of `login`. */
export const loginSpec: CommandSpec = {
  name: "login",
  summary: "Sign in to a Flyte cluster and keep the sign-in for later commands.",
  description: [
    "Opens the browser at the cluster's sign-in page (PKCE) and receives the result on a one-shot listener on 127.0.0.1; with --device, prints a URL and a code to enter on any device instead, for machines without a browser. The endpoint and the client come from the Flyte config file and the cluster's discovery.",
    "The tokens are kept in a file readable only by you, under your cache directory, and renewed with the refresh token as they expire. `flyte-remote logout` forgets them. Nothing secret is printed.",
  ],
  positionals: [],
  options: [
    ...connectionOptions,
    {
      name: "device",
      type: "boolean",
      description: "Use the device flow: show a URL and a code instead of opening a browser.",
    },
  ],
  examples: [
    [`${programName} login`, "Sign in through the browser"],
    [
      `${programName} login --device --config ~/.union/config.yaml`,
      "Sign in from a headless machine",
    ],
  ],
};

async function run(args: readonly string[], context: CommandContext) {
  const { io } = context;
  const { options } = parseCommandArgs(loginSpec, args);
  const connection = await resolveConnection(options, io, {
    command: "login",
    signIn: true,
    device: booleanOption(options, "device"),
  });
  const endpoint = requireEndpoint(connection, "login");
  const auth = connection.auth;
  if (auth === undefined) {
    throw new UsageError(
      "the config's admin.authType is Passthrough: there is nothing to sign in with",
      "login",
    );
  }
  // A new sign-in, not the kept one: that is what `login` is asked for.
  await auth.signOut?.();
  const token = await auth.token();
  const scrub = scrubber(connection.secrets());
  const kept = auth.tokenIfSignedIn !== undefined;
  io.stdout.write(
    scrub(
      `Signed in to ${endpoint} as ${describeIdentity(token).principal} with ${connection.method}.${kept ? " The sign-in is kept for later commands." : " Service credentials: nothing is kept."}\n`,
    ),
  );
  return ExitCode.ok;
}

/** `flyte-remote login`. */
export const loginCommand: Command = { spec: loginSpec, run };
