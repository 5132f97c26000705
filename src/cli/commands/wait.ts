/**
 * `flyte-remote wait <run>`: follows a run to its end and turns the outcome into an
 * exit status, so a shell script can tell a user failure from a platform failure, an
 * abort or a timeout without parsing text.
 *
 * @module
 */

import type { JsonValue } from "@bufbuild/protobuf";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import { dataValueToJson } from "../../data/index.js";
import { isSuccessPhase, isTerminalPhase } from "../../decode/index.js";
import { isFlyteError } from "../../errors/index.js";
import type { PollingErrorContext, Run, RunUpdate } from "../../index.node.js";
import { booleanOption, parseCommandArgs, stringOption } from "../args.js";
import type { CliIo } from "../cli-io.js";
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
import { formatElapsed, parseDuration } from "../duration.js";
import { ExitCode, exitCodeFor, isAbortError, isWaitTimeout } from "../exit-codes.js";
import { programName } from "../help.js";
import { canRedraw, LiveWriter } from "../live-writer.js";
import { runResultJson } from "../run-result-json.js";
import { scrubber } from "../scrub.js";
import { colorEnabled, createStyle } from "../style.js";
import { UsageError } from "../usage-error.js";
import { renderWaitLine, renderWaitLogLine, type WaitState } from "../wait-progress.js";

/** The spec of `wait`. */
export const waitSpec: CommandSpec = {
  name: "wait",
  summary: "Wait for a run to end; the exit code says how it ended.",
  description: [
    "Shows the phase, the attempt and the elapsed time on stderr while it waits. On success it prints a summary on stdout; on failure it prints the typed error (class, kind, code, worker, attempts, message and a hint) on stderr.",
    "The endpoint, project, domain and sign-in come from the Flyte config file (as the Python `flyte` CLI finds it, or --config), overridden by FLYTE_* variables, then by the flags. FLYTE_API_KEY (or UNION_API_KEY) is an API key; FLYTE_TOKEN is sent as a bearer token. No credential is ever printed.",
    "A config that signs in a person (Pkce, DeviceFlow) uses the sign-in kept by `flyte-remote login`; at a terminal it signs in when the server asks.",
    "Ctrl-C stops waiting but does NOT abort the run, which goes on on the server. After Ctrl-C or --timeout, stdout stays empty, even with --json; the exit code tells which.",
  ],
  positionals: [
    { name: "run-name", description: "The name of the run to wait for.", required: true },
  ],
  options: [
    ...connectionOptions,
    ...scopeOptions,
    protocolOption,
    {
      name: "timeout",
      type: "string",
      value: "DURATION",
      description: "Give up waiting after this long (1500ms, 30s, 30m, 1h30m); exit 6.",
    },
    {
      name: "json",
      type: "boolean",
      description:
        "Print only JSON on stdout: RFC 9457 problem details, or the RunResult with the run's outputs.",
    },
    { name: "quiet", type: "boolean", short: "q", description: "No progress on stderr." },
  ],
  examples: [
    [
      `${programName} wait r3x9 --endpoint https://flyte.example.com --project ml --domain dev`,
      "Wait for a run on a remote cluster",
    ],
    [
      `FLYTE_ENDPOINT=http://127.0.0.1:8089 ${programName} wait oom`,
      "Wait against `flyte-remote serve --runs`",
    ],
    [`${programName} wait r3x9 --config ~/.flyte/config.yaml`, "Connect as the Flyte config says"],
    [
      `${programName} wait r3x9 --timeout 30m --json --quiet > result.json; echo $?`,
      "Use it from a script",
    ],
  ],
  showsExitCodes: true,
};

interface WaitSettings {
  readonly runName: string;
  readonly timeoutMs: number | undefined;
  readonly json: boolean;
  readonly quiet: boolean;
}

/** Whether the update is final: a terminal phase, or an unknown one with an end time. */
function settled(update: RunUpdate): boolean {
  return isTerminalPhase(update.phase) || update.details.status?.endTime !== undefined;
}

/** Follows the updates on stderr: in place on a terminal, one line per change elsewhere. */
class Progress {
  private state: WaitState;
  private readonly writer: LiveWriter | undefined;

  constructor(
    private readonly io: CliIo,
    run: string,
  ) {
    this.state = { run, phaseName: "…", attempt: 0, since: Date.now() };
    const style = createStyle(colorEnabled(io.stderr, io.env));
    this.writer = canRedraw(io.stderr, io.env)
      ? new LiveWriter(io.stderr, (frame, now, width) => [
          renderWaitLine(this.state, frame, now, style, width),
        ])
      : undefined;
    this.writer?.start();
  }

  update(update: RunUpdate): void {
    const status = update.details.status;
    this.state = {
      run: this.state.run,
      phaseName: update.phaseName,
      attempt: update.attempt,
      since: status?.startTime === undefined ? this.state.since : timestampMs(status.startTime),
      ...(status?.endTime === undefined ? {} : { until: timestampMs(status.endTime) }),
      ...(settled(update)
        ? { outcome: isSuccessPhase(update.phase) ? "succeeded" : "failed" }
        : {}),
    };
    if (this.writer === undefined)
      this.io.stderr.write(`${renderWaitLogLine(this.state, Date.now())}\n`);
    else this.writer.draw();
  }

  /** A line of its own, above the live view on a terminal. */
  note(line: string): void {
    if (this.writer === undefined) this.io.stderr.write(`${line}\n`);
    else this.writer.log(line);
  }

  stop(): void {
    this.writer?.stop();
  }
}

async function run(args: readonly string[], context: CommandContext): Promise<ExitCode> {
  const { io } = context;
  const { options, positionals } = parseCommandArgs(waitSpec, args);
  const protocol = protocolOf(options, "wait");
  const timeoutText = stringOption(options, "timeout");
  const timeoutMs = timeoutText === undefined ? undefined : parseDuration(timeoutText);
  if (typeof timeoutMs === "object") throw new UsageError(`--timeout: ${timeoutMs.error}`, "wait");
  const settings: WaitSettings = {
    runName: positionals[0] ?? "",
    timeoutMs,
    json: booleanOption(options, "json"),
    quiet: booleanOption(options, "quiet"),
  };
  // A person at the terminal can sign in when the server asks; a script uses kept tokens.
  const connection = await resolveConnection(options, io, {
    command: "wait",
    signIn: io.stderr.isTTY === true && io.stdin.isTTY === true,
  });
  requireEndpoint(connection, "wait");
  const scrub = (text: string) => scrubber(connection.secrets())(text);
  const style = createStyle(colorEnabled(io.stderr, io.env));
  const outStyle = createStyle(colorEnabled(io.stdout, io.env));
  const progress = settings.quiet ? undefined : new Progress(io, settings.runName);
  // Retries are quiet in the client; a person at the CLI should see why nothing moves.
  const onRetry = (error: unknown, context: PollingErrorContext) => {
    const text = isFlyteError(error) ? error.rawMessage : String(error);
    const line = `retrying (attempt ${context.attempt + 1}, ${context.consecutiveFailures} failure(s) in a row): ${scrub(text)}`;
    if (progress !== undefined) progress.note(style.yellow(line));
    else io.stderr.write(`${line}\n`);
  };
  const client = openClient(
    {
      ...connection.client,
      ...(protocol === undefined ? {} : { protocol }),
      onPollingError: onRetry,
    },
    "wait",
  );
  const handle = client.getRun(settings.runName);
  const interrupt = new AbortController();
  let signalled = "SIGINT" as "SIGINT" | "SIGTERM";
  const stopListening = io.onSignal((signal) => {
    signalled = signal;
    interrupt.abort(new DOMException("interrupted by a signal", "AbortError"));
  });
  const began = Date.now();
  try {
    const result = await handle.wait({
      signal: interrupt.signal,
      ...(settings.timeoutMs === undefined ? {} : { timeoutMs: settings.timeoutMs }),
      ...(progress === undefined
        ? {}
        : { onPhase: (update: RunUpdate) => progress.update(update) }),
    });
    progress?.stop();
    if (settings.json) {
      const outputs = await outputsJson(handle);
      io.stdout.write(
        `${scrub(JSON.stringify({ ...runResultJson(handle.id, result), ...outputs }, null, 2))}\n`,
      );
    } else {
      const took =
        result.startedAt !== undefined && result.endedAt !== undefined
          ? ` in ${formatElapsed(result.endedAt.getTime() - result.startedAt.getTime())}`
          : "";
      io.stdout.write(
        `${outStyle.green("✓")} run ${settings.runName} ${result.phaseName} after ${result.attempts} attempt(s)${took}\n`,
      );
    }
    return ExitCode.ok;
  } catch (error) {
    progress?.stop();
    if (isAbortError(error) && interrupt.signal.aborted) {
      const what = signalled === "SIGTERM" ? "terminated" : "interrupted";
      io.stderr.write(
        `${style.yellow(what)}: stopped waiting for run ${settings.runName}. The run was NOT aborted; it goes on on the server.\n`,
      );
      return signalled === "SIGTERM" ? ExitCode.terminated : ExitCode.interrupted;
    }
    if (isWaitTimeout(error)) {
      io.stderr.write(
        `${style.yellow("timed out")}: gave up waiting for run ${settings.runName} after ${timeoutText} (--timeout, ${formatElapsed(Date.now() - began)} waited). The run was not aborted; it goes on on the server.\n`,
      );
      return ExitCode.waitTimeout;
    }
    if (!isFlyteError(error)) throw error;
    const facts = errorFacts(error);
    if (settings.json)
      io.stdout.write(`${scrub(JSON.stringify(error.toProblemDetails(), null, 2))}\n`);
    io.stderr.write(
      `${style.red("✗")} run ${settings.runName} failed: ${style.bold(facts.errorClass)}\n`,
    );
    io.stderr.write(`${scrub(describeError(facts, style).join("\n"))}\n`);
    return exitCodeFor(error);
  } finally {
    stopListening();
    await client.close();
  }
}

/**
 * The run's outputs for `--json`. The run succeeded whatever happens here, so a failure to
 * read them goes into the JSON as problem details, and the exit code still says success.
 */
async function outputsJson(
  run: Run,
): Promise<{ outputs: JsonValue } | { outputsError: JsonValue }> {
  try {
    return { outputs: dataValueToJson(await run.outputs()) };
  } catch (error) {
    if (!isFlyteError(error)) throw error;
    return { outputsError: error.toProblemDetails() as unknown as JsonValue };
  }
}

/** `flyte-remote wait`. */
export const waitCommand: Command = { spec: waitSpec, run };
