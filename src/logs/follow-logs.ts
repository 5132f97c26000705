/**
 * `logs()`: the lines of an action's log, read once or followed to the end of the run.
 *
 * The log of an attempt is the log of its pod. GetActionLogContext says which pod; the data
 * proxy's TailLogs streams it (RunLogsService's, on servers without a data proxy). The
 * stream follows the pod while it runs and ends when it ends, and answers NOT_FOUND while
 * the pod does not exist yet.
 *
 * - Without `follow`, it returns once the stream ends, or once it has been quiet for
 *   `settleMs` (a running pod's stream never ends by itself).
 * - With `follow`, it goes on through retries (attempt 2 after attempt 1) and ends when the
 *   run is terminal. A stream cut short is opened again, and the lines already delivered
 *   are skipped, since the server replays the log from the start.
 * - Logs that do not exist yet are asked for again every `retryDelayMs`; after `retries`
 *   tries (without `follow`, or once the run has ended) it throws LogsNotYetAvailableError.
 */

import { decodeRpcError, isTerminalPhase } from "../decode/index.js";
import {
  ActionNotFoundError,
  type AnyFlyteError,
  isFlyteError,
  LogsNotYetAvailableError,
} from "../errors/index.js";
import type { LogLine as LogLineMessage } from "../gen/flyteidl2/logs/dataplane/payload_pb.js";
import type { ActionDetails } from "../gen/flyteidl2/workflow/run_definition_pb.js";
import type { GetActionLogContextResponse } from "../gen/flyteidl2/workflow/run_service_pb.js";
import { type LogLine, toLogLine } from "./log-line.js";

/** The two services that stream logs, newest first. */
export type LogService = "DataProxyService" | "RunLogsService";

/** A batch of lines, as both services' TailLogsResponse carry them. */
export interface TailReply {
  readonly logs: readonly { readonly lines: readonly LogLineMessage[] }[];
}

/** What `logs()` needs from the handle it belongs to. */
export interface LogsHost {
  /** `run r1`, `action a1 of run r1`. */
  readonly subject: string;
  readonly runName: string;
  readonly actionName: string;
  /** Rejects with a decoded error (ActionNotFoundError for a run that does not exist). */
  details(signal?: AbortSignal): Promise<ActionDetails>;
  /** GetActionLogContext; rejects with a decoded error. */
  logContext(attempt: number, signal?: AbortSignal): Promise<GetActionLogContextResponse>;
  /** Opens TailLogs of one attempt on one service; errors come raw, as connect throws them. */
  tail(
    service: LogService,
    attempt: number,
    podName: string,
    signal: AbortSignal,
  ): AsyncIterable<TailReply>;
}

/** Options of `logs()`. */
export interface LogsOptions {
  /** Follow the log to the end of the run, through retries. Default false. */
  follow?: boolean | undefined;
  /** Read this attempt only (counting from 1). Default: the latest, and with `follow` the next ones. */
  attempt?: number | undefined;
  signal?: AbortSignal | undefined;
  /** Tries while the log does not exist yet, before LogsNotYetAvailableError. Default 5, as in the Python SDK. */
  retries?: number | undefined;
  /** Pause between those tries, and before opening a cut stream again. Default 2000 ms, as in the Python SDK. */
  retryDelayMs?: number | undefined;
  /** Without `follow`: how long a quiet stream counts as caught up. Default 1000 ms. */
  settleMs?: number | undefined;
}

/** Transient stream failures in a row before the last one is thrown. */
const MAX_STREAM_FAILURES = 5;

/** Yields the log lines of an action; see the module comment for the rules. */
export async function* followLogs(
  host: LogsHost,
  options: LogsOptions = {},
): AsyncGenerator<LogLine, void, undefined> {
  const follow = options.follow ?? false;
  const retries = options.retries ?? 5;
  const delay = options.retryDelayMs ?? 2000;
  const settleMs = options.settleMs ?? 1000;
  const signal = options.signal;
  const pinned = options.attempt !== undefined;
  let details = await host.details(signal);
  let attempt = options.attempt ?? Math.max(1, details.status?.attempts ?? 0);
  let service: LogService = "DataProxyService";
  const delivered = new Map<number, number>();
  let misses = 0;
  let failures = 0;
  for (;;) {
    let outcome: "ended" | "missing" | "failed";
    let error: AnyFlyteError | undefined;
    try {
      const podName = await primaryPod(host, attempt, signal);
      if (podName === undefined) {
        outcome = "missing";
      } else {
        const skip = delivered.get(attempt) ?? 0;
        let seen = 0;
        for await (const line of readStream(
          host,
          service,
          attempt,
          podName,
          follow ? undefined : settleMs,
          signal,
        )) {
          misses = 0;
          failures = 0;
          seen++;
          if (seen <= skip) continue;
          delivered.set(attempt, seen);
          yield toLogLine(line, attempt);
        }
        misses = 0;
        failures = 0;
        outcome = "ended";
      }
    } catch (e) {
      if (signal?.aborted) throw signal.reason;
      if (!isFlyteError(e)) throw e;
      if (e.code === "UNIMPLEMENTED" && service === "DataProxyService") {
        service = "RunLogsService";
        continue;
      }
      error = e;
      if (e instanceof ActionNotFoundError) outcome = "missing";
      else if (e.retryable && follow) outcome = "failed";
      else throw e;
    }
    if (outcome === "ended" && !follow) return;
    if (outcome === "missing") {
      misses++;
      if (!follow && misses >= retries) throw notAvailable(host, attempt, misses, error);
    }
    if (outcome === "failed") {
      failures++;
      if (failures >= MAX_STREAM_FAILURES && error !== undefined) throw error;
    }
    details = await host.details(signal);
    const latest = Math.max(1, details.status?.attempts ?? 0);
    const settled = isSettled(details);
    if (!pinned && latest > attempt) {
      // The attempt ended and the action went on to retry: follow the next pod.
      attempt++;
      misses = 0;
      continue;
    }
    if (settled) {
      if (outcome === "ended" || outcome === "failed") return;
      if (misses >= retries) throw notAvailable(host, attempt, misses, error);
    } else if (outcome === "ended" && pinned && attemptEnded(details, attempt)) {
      return;
    }
    await pause(delay, signal);
  }
}

/** The primary pod of an attempt, or undefined while there is none to read. */
async function primaryPod(
  host: LogsHost,
  attempt: number,
  signal: AbortSignal | undefined,
): Promise<string | undefined> {
  let reply: GetActionLogContextResponse;
  try {
    reply = await host.logContext(attempt, signal);
  } catch (e) {
    // A server without it can still stream the primary pod's log when asked for no pod.
    if (isFlyteError(e) && e.code === "UNIMPLEMENTED") return "";
    throw e;
  }
  const context = reply.logContext;
  if (context === undefined || context.pods.length === 0) return undefined;
  return context.primaryPodName || context.pods[0]?.podName || "";
}

/**
 * The lines of one TailLogs stream. With `settleMs`, it stops after that long without a
 * batch. Errors are decoded; the caller's abort rethrows its reason.
 */
async function* readStream(
  host: LogsHost,
  service: LogService,
  attempt: number,
  podName: string,
  settleMs: number | undefined,
  signal: AbortSignal | undefined,
): AsyncGenerator<LogLineMessage, void, undefined> {
  const controller = new AbortController();
  const forward = () => controller.abort(signal?.reason);
  if (signal?.aborted) throw signal.reason;
  signal?.addEventListener("abort", forward, { once: true });
  const iterator = host.tail(service, attempt, podName, controller.signal)[Symbol.asyncIterator]();
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    for (;;) {
      let next: IteratorResult<TailReply>;
      try {
        next =
          settleMs === undefined
            ? await iterator.next()
            : await nextOrQuiet(iterator, settleMs, (t) => (timer = t));
      } catch (e) {
        throw decodeRpcError(e, {
          method: `${service}.TailLogs`,
          operation: "read",
          runName: host.runName,
          actionName: host.actionName,
          ...(signal === undefined ? {} : { signal }),
        });
      } finally {
        clearTimeout(timer);
      }
      if (next.done === true) return;
      for (const batch of next.value.logs) yield* batch.lines;
    }
  } finally {
    signal?.removeEventListener("abort", forward);
    controller.abort();
    await iterator.return?.().catch(() => undefined);
  }
}

const QUIET: IteratorResult<TailReply> = { done: true, value: undefined };

/** The next batch, or the end when none comes within `ms`. */
function nextOrQuiet(
  iterator: AsyncIterator<TailReply>,
  ms: number,
  onTimer: (timer: ReturnType<typeof setTimeout>) => void,
): Promise<IteratorResult<TailReply>> {
  return Promise.race([
    iterator.next(),
    new Promise<IteratorResult<TailReply>>((resolve) =>
      onTimer(setTimeout(() => resolve(QUIET), ms)),
    ),
  ]);
}

/** Terminal, or a phase this schema does not know that has an end time. */
function isSettled(details: ActionDetails): boolean {
  return isTerminalPhase(details.status?.phase ?? 0) || details.status?.endTime !== undefined;
}

function attemptEnded(details: ActionDetails, attempt: number): boolean {
  return details.attempts.find((a) => a.attempt === attempt)?.endTime !== undefined;
}

function notAvailable(
  host: LogsHost,
  attempt: number,
  tries: number,
  cause: AnyFlyteError | undefined,
): LogsNotYetAvailableError {
  return new LogsNotYetAvailableError({
    message: `Log stream not available for action ${host.actionName} in run ${host.runName} (attempt ${attempt}, asked ${tries} time(s)).`,
    ...(cause === undefined ? {} : { cause }),
    details: { attempt, tries },
  });
}

/** Resolves after `ms`, or rejects with the signal's reason; leaves no timer behind. */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
