/**
 * `flyte-remote demo`: every failure mode, end to end, in one command. It starts the
 * embedded test server, launches one run per outcome scenario plus two with transport
 * faults, waits on all of them at once with the real client, and checks that each
 * ended with the typed error its scenario promises.
 *
 * @module
 */

import { setMaxListeners } from "node:events";
import { isTerminalPhase, phaseName } from "../../decode/index.js";
import { isFlyteError } from "../../errors/index.js";
import { ActionPhase } from "../../gen/flyteidl2/common/phase_pb.js";
import { createClient, type FlyteClient, type RunUpdate } from "../../index.node.js";
import { startTestServer, type TestServer } from "../../testing/index.js";
import { parseCommandArgs, stringOption } from "../args.js";
import type { CliIo } from "../cli-io.js";
import type { Command, CommandContext, CommandSpec } from "../command.js";
import { compareOutcome, type DemoCase, type DemoOutcome, demoPlan } from "../demo-plan.js";
import { type CaseResult, renderDemoReport } from "../demo-report.js";
import { errorFacts } from "../describe-error.js";
import { formatElapsed } from "../duration.js";
import { ExitCode, isAbortError, isWaitTimeout } from "../exit-codes.js";
import { programName } from "../help.js";
import { type LiveRow, renderLiveView, renderLogLine } from "../live-view.js";
import { canRedraw, LiveWriter, layoutWidth } from "../live-writer.js";
import { colorEnabled, createStyle } from "../style.js";
import { parseSpeed } from "./serve.js";

/** The spec of `demo`. */
export const demoSpec: CommandSpec = {
  name: "demo",
  summary: "Launch every scenario on a local server and show the typed error each one raises.",
  description: [
    "It starts the embedded test server, creates one run per outcome scenario plus two with transport faults (stream-drop+oom, unavailable+succeed), and waits on all of them at once with the real client.",
    "On a terminal, stderr shows a live view, one line per run; elsewhere it prints a log line per phase change. Stdout gets the final table, a one-line explanation per failure and a closing verdict.",
    "The `paused` scenario waits for a signal forever, so the demo aborts it once it is PAUSED and expects a RunAbortedError.",
    "Exits 0 when every run ended as its scenario promises, 2 when any did not, 130 on Ctrl-C.",
  ],
  positionals: [],
  options: [
    {
      name: "speed",
      type: "string",
      value: "X",
      description:
        "Timeline speed: 1 is human pace (default, about 15 s), 20 takes about a second.",
    },
  ],
  examples: [
    [`${programName} demo`, "Watch it at human pace"],
    [`${programName} demo --speed 20 | cat`, "Quickly, as plain log lines"],
    [`NO_COLOR=1 ${programName} demo`, "Without colour"],
  ],
};

/** The demo's view of its runs, shared by the live view, the log lines and the report. */
class Board {
  private readonly rows = new Map<string, LiveRow>();

  constructor(
    plan: readonly DemoCase[],
    private readonly onChange: (row: LiveRow) => void,
  ) {
    const now = Date.now();
    for (const c of plan) {
      this.rows.set(c.run, {
        run: c.run,
        task: c.task,
        status: "pending",
        phaseName: "…",
        attempt: 0,
        startedAt: now,
      });
    }
  }

  all(): LiveRow[] {
    return [...this.rows.values()];
  }

  update(run: string, change: Partial<LiveRow>): void {
    const row = this.rows.get(run);
    if (row === undefined) return;
    const next = { ...row, ...change };
    this.rows.set(run, next);
    this.onChange(next);
  }
}

/** Whether this update is the run's last: a terminal phase, or an unknown one with an end time. */
function settles(update: RunUpdate): boolean {
  return isTerminalPhase(update.phase) || update.details.status?.endTime !== undefined;
}

/** Generous enough for the slowest scenario plus the fault retries, which run in real time. */
function caseTimeoutMs(speed: number): number {
  return Math.ceil(120_000 / speed) + 30_000;
}

async function follow(
  client: FlyteClient,
  demo: DemoCase,
  board: Board,
  signal: AbortSignal,
  speed: number,
): Promise<CaseResult> {
  let last: RunUpdate | undefined;
  let abortFailure: string | undefined;
  let outcome: DemoOutcome;
  try {
    const run = await client.createRun({ task: { name: demo.task }, name: demo.run, signal });
    board.update(demo.run, { status: "active", phaseName: "QUEUED" });
    let aborting = false;
    const result = await run.wait({
      signal,
      timeoutMs: caseTimeoutMs(speed),
      onPhase: (update) => {
        last = update;
        // The final state is shown once the outcome is known, with its error class.
        if (!settles(update)) {
          board.update(demo.run, { phaseName: update.phaseName, attempt: update.attempt });
        }
        if (demo.expect.abortAt === update.phase && !aborting) {
          aborting = true;
          run.abort("the demo aborts runs that wait for a signal").catch((error: unknown) => {
            abortFailure = `could not abort: ${String(error)}`;
          });
        }
      },
    });
    outcome = { phase: result.phase, phaseName: result.phaseName, attempts: result.attempts };
  } catch (error) {
    if (isAbortError(error) && signal.aborted) throw error;
    const phase = last?.phase ?? ActionPhase.UNSPECIFIED;
    if (isFlyteError(error)) {
      outcome = {
        phase,
        phaseName: phaseName(phase),
        attempts: error.attempts ?? last?.attempt ?? 0,
        error: errorFacts(error),
      };
    } else {
      const unexpected = isWaitTimeout(error)
        ? `did not end within ${formatElapsed(caseTimeoutMs(speed))}`
        : `failed inside the demo: ${error instanceof Error ? error.message : String(error)}`;
      outcome = { phase, phaseName: phaseName(phase), attempts: last?.attempt ?? 0, unexpected };
    }
  }
  if (abortFailure !== undefined) outcome = { ...outcome, unexpected: abortFailure };
  const problems = compareOutcome(demo.expect, outcome);
  board.update(demo.run, {
    status:
      outcome.error === undefined && outcome.unexpected === undefined ? "succeeded" : "failed",
    phaseName: outcome.phaseName,
    attempt: outcome.attempts,
    endedAt: Date.now(),
    asExpected: problems.length === 0,
    ...(outcome.error === undefined ? {} : { note: outcome.error.errorClass }),
  });
  return { demo, outcome, problems };
}

function progressView(io: CliIo, plan: readonly DemoCase[]): { board: Board; stop(): void } {
  const style = createStyle(colorEnabled(io.stderr, io.env));
  if (canRedraw(io.stderr, io.env)) {
    let writer: LiveWriter | undefined;
    const board = new Board(plan, () => writer?.draw());
    writer = new LiveWriter(io.stderr, (frame, now, width) =>
      renderLiveView(board.all(), { frame, now, style, ...(width === undefined ? {} : { width }) }),
    );
    writer.start();
    return { board, stop: () => writer?.stop() };
  }
  // Off a terminal: one log line per change a reader would care about, no repeats.
  const logged = new Map<string, string>();
  const board = new Board(plan, (row) => {
    const key = `${row.phaseName}/${row.attempt}/${row.status}`;
    if (logged.get(row.run) === key || row.status === "pending") return;
    logged.set(row.run, key);
    io.stderr.write(`${renderLogLine(row, Date.now())}\n`);
  });
  return { board, stop: () => {} };
}

async function run(args: readonly string[], context: CommandContext): Promise<ExitCode> {
  const { io } = context;
  const { options } = parseCommandArgs(demoSpec, args);
  const speed = parseSpeed(stringOption(options, "speed"), "demo", 1);
  const plan = demoPlan();
  const interrupt = new AbortController();
  // Every run's wait and watch listens on this one signal; that is by design, not a leak.
  setMaxListeners(0, interrupt.signal);
  let signalled = "SIGINT" as "SIGINT" | "SIGTERM";
  const stopListening = io.onSignal((signal) => {
    signalled = signal;
    interrupt.abort(new DOMException("interrupted by a signal", "AbortError"));
  });
  // The embedded server links one abort listener per open stream to its shutdown signal,
  // so 17 concurrent watches trip Node's default warning at 10, which would also tear the
  // live view. Raise the default for signals created from here on; a real leak still shows.
  setMaxListeners(1000);
  let server: TestServer | undefined;
  let client: FlyteClient | undefined;
  const view = { stop: () => {} };
  try {
    server = await startTestServer({ speed });
    client = createClient({ endpoint: server.url });
    io.stderr.write(
      `Local Flyte test server on ${server.url} at ${speed}x speed; launching ${plan.length} runs and waiting on all of them.\n`,
    );
    const progress = progressView(io, plan);
    view.stop = progress.stop;
    const openClient = client;
    const results = await Promise.all(
      plan.map((demo) => follow(openClient, demo, progress.board, interrupt.signal, speed)),
    );
    view.stop();
    const style = createStyle(colorEnabled(io.stdout, io.env));
    const report = renderDemoReport(results, style, layoutWidth(io.stdout));
    io.stdout.write(`${report.lines.join("\n")}\n`);
    return report.allAsExpected ? ExitCode.ok : ExitCode.system;
  } catch (error) {
    view.stop();
    if (isAbortError(error) && interrupt.signal.aborted) {
      io.stderr.write(
        `${signalled === "SIGTERM" ? "Terminated" : "Interrupted"}; stopping the demo server.\n`,
      );
      return signalled === "SIGTERM" ? ExitCode.terminated : ExitCode.interrupted;
    }
    throw error;
  } finally {
    stopListening();
    await client?.close();
    await server?.close();
  }
}

/** `flyte-remote demo`. */
export const demoCommand: Command = { spec: demoSpec, run };
