/**
 * `flyte-remote logs <run>`: prints a run's log, or follows it until the run ends.
 *
 * @module
 */

import { isFlyteError } from "../../errors/index.js";
import { booleanOption, parseCommandArgs, stringOption } from "../args.js";
import type { Command, CommandContext, CommandSpec } from "../command.js";
import {
  connectionOptions,
  openClient,
  protocolOf,
  protocolOption,
  requireEndpoint,
  resolveConnection,
  scopeOptions,
} from "../connection.js";
import { describeError, errorFacts } from "../describe-error.js";
import { parseDuration } from "../duration.js";
import { ExitCode, exitCodeFor, isAbortError } from "../exit-codes.js";
import { programName } from "../help.js";
import { scrubber } from "../scrub.js";
import { colorEnabled, createStyle } from "../style.js";
import { UsageError } from "../usage-error.js";

/** The spec of `logs`. */
export const logsSpec: CommandSpec = {
  name: "logs",
  summary: "Print a run's log; with --follow, until the run ends.",
  description: [
    "Prints the log of the run's latest attempt on stdout, one line per line, and exits once it has caught up. With --follow it goes on through retries and exits when the run is terminal.",
    "A log that does not exist yet (the pod is still being scheduled) is asked for again every 2 s (--retry-delay); after 5 tries, or once the run has ended without one, it fails with LogsNotYetAvailableError, exit 2.",
    "The endpoint, scope and sign-in come from the Flyte config file, FLYTE_* variables and the flags, as for `wait`. Ctrl-C stops reading; the run goes on.",
  ],
  positionals: [{ name: "run-name", description: "The name of the run.", required: true }],
  options: [
    ...connectionOptions,
    ...scopeOptions,
    protocolOption,
    {
      name: "follow",
      type: "boolean",
      short: "f",
      description: "Follow the log through retries until the run ends.",
    },
    {
      name: "attempt",
      type: "string",
      value: "N",
      description: "Print attempt N only (counting from 1); default the latest.",
    },
    {
      name: "retry-delay",
      type: "string",
      value: "DURATION",
      description: "Pause between asks for a log that does not exist yet (default 2s).",
    },
    {
      name: "timestamps",
      type: "boolean",
      description: "Prefix each line with its time (ISO 8601).",
    },
  ],
  examples: [
    [`${programName} logs r3x9 --follow`, "Follow a run's log until it ends"],
    [`${programName} logs r3x9 --attempt 1 > first.log`, "Save the log of the first attempt"],
  ],
};

async function run(args: readonly string[], context: CommandContext): Promise<ExitCode> {
  const { io } = context;
  const { options, positionals } = parseCommandArgs(logsSpec, args);
  const attemptText = stringOption(options, "attempt");
  const attempt = attemptText === undefined ? undefined : Number(attemptText);
  if (attempt !== undefined && !(Number.isInteger(attempt) && attempt >= 1)) {
    throw new UsageError(`--attempt must be a whole number from 1, got '${attemptText}'`, "logs");
  }
  const delayText = stringOption(options, "retry-delay");
  const retryDelayMs = delayText === undefined ? undefined : parseDuration(delayText);
  if (typeof retryDelayMs === "object") {
    throw new UsageError(`--retry-delay: ${retryDelayMs.error}`, "logs");
  }
  const follow = booleanOption(options, "follow");
  const timestamps = booleanOption(options, "timestamps");
  const runName = positionals[0] ?? "";
  const protocol = protocolOf(options, "logs");
  const connection = await resolveConnection(options, io, {
    command: "logs",
    signIn: io.stderr.isTTY === true && io.stdin.isTTY === true,
  });
  requireEndpoint(connection, "logs");
  const scrub = (text: string) => scrubber(connection.secrets())(text);
  const style = createStyle(colorEnabled(io.stderr, io.env));
  const client = openClient(
    { ...connection.client, ...(protocol === undefined ? {} : { protocol }) },
    "logs",
  );
  const interrupt = new AbortController();
  const stopListening = io.onSignal(() => {
    interrupt.abort(new DOMException("interrupted by a signal", "AbortError"));
  });
  try {
    const lines = client.getRun(runName).logs({
      follow,
      signal: interrupt.signal,
      ...(attempt === undefined ? {} : { attempt }),
      ...(retryDelayMs === undefined ? {} : { retryDelayMs }),
    });
    for await (const line of lines) {
      const when =
        timestamps && line.timestamp !== undefined ? `${line.timestamp.toISOString()} ` : "";
      io.stdout.write(`${when}${line.message}\n`);
    }
    return ExitCode.ok;
  } catch (error) {
    if (isAbortError(error) && interrupt.signal.aborted) {
      io.stderr.write(
        `${style.yellow("interrupted")}: stopped reading the log of run ${runName}.\n`,
      );
      return ExitCode.interrupted;
    }
    if (!isFlyteError(error)) throw error;
    io.stderr.write(`${style.red("✗")} no log of run ${runName}: ${style.bold(error.name)}\n`);
    io.stderr.write(`${scrub(describeError(errorFacts(error), style).join("\n"))}\n`);
    return exitCodeFor(error);
  } finally {
    stopListening();
    await client.close();
  }
}

/** `flyte-remote logs`. */
export const logsCommand: Command = { spec: logsSpec, run };
