/**
 * `flyte-remote logout`: forgets the sign-in kept for an endpoint, whatever client it used.
 * Works offline: it only removes files.
 *
 * @module
 */

import { endpointBaseUrl } from "../../auth/discovery.js";
import { defaultTokenCacheDir, fileTokenStore } from "../../auth/node/file-token-store.js";
import { endpointFromConfig } from "../../config/auth-from-config.js";
import { loadFlyteConfig } from "../../config/read-config.js";
import { parseCommandArgs, stringOption } from "../args.js";
import type { Command, CommandContext, CommandSpec } from "../command.js";
import { connectionOptions } from "../connection.js";
import { ExitCode } from "../exit-codes.js";
import { programName } from "../help.js";
import { UsageError } from "../usage-error.js";

/** The spec of `logout`. */
export const logoutSpec: CommandSpec = {
  name: "logout",
  summary: "Forget the sign-in kept for a Flyte cluster.",
  description: [
    "Removes the tokens `flyte-remote login` kept for the endpoint (from --endpoint, $FLYTE_ENDPOINT or the Flyte config file). It does not contact the cluster.",
  ],
  positionals: [],
  options: [...connectionOptions],
  examples: [[`${programName} logout`, "Forget the sign-in for the config's endpoint"]],
};

async function run(args: readonly string[], context: CommandContext) {
  const { io } = context;
  const { options } = parseCommandArgs(logoutSpec, args);
  const flag = stringOption(options, "endpoint") || io.env.FLYTE_ENDPOINT || undefined;
  const config = await loadFlyteConfig({ path: stringOption(options, "config"), env: io.env });
  const endpoint = flag ?? endpointFromConfig(config);
  if (endpoint === undefined) {
    throw new UsageError(
      "no endpoint: pass --endpoint URL or set FLYTE_ENDPOINT (or admin.endpoint in a Flyte config file)",
      "logout",
    );
  }
  const store = fileTokenStore({ dir: defaultTokenCacheDir(io.env) });
  const removed = await store.deleteEndpoint(endpointBaseUrl(endpoint));
  io.stdout.write(
    removed === 0
      ? `No sign-in was kept for ${endpoint}.\n`
      : `Signed out of ${endpoint}: forgot ${removed} kept sign-in${removed === 1 ? "" : "s"}.\n`,
  );
  return ExitCode.ok;
}

/** `flyte-remote logout`. */
export const logoutCommand: Command = { spec: logoutSpec, run };
