import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { isTerminalPhase } from "../decode/index.js";
import { AuthenticationError } from "../errors/index.js";
import {
  type ActionIdentifier,
  ActionIdentifierSchema,
} from "../gen/flyteidl2/common/identifier_pb.js";
import { ActionPhase } from "../gen/flyteidl2/common/phase_pb.js";
import type { ActionDetails } from "../gen/flyteidl2/workflow/run_definition_pb.js";
import { sleep } from "./backoff.js";
import type { ClientCore } from "./client-core.js";
import { FailureGate } from "./failure-gate.js";
import { UpdateFilter } from "./update-filter.js";

/** The action a loop watches. */
export interface WatchTarget {
  readonly org: string;
  readonly project: string;
  readonly domain: string;
  readonly runName: string;
  readonly actionName: string;
}

/**
 * Receives each new state of a followed action, in order, once. The next state waits for
 * the promise it returns; a throw ends the follow with that error.
 */
export type Deliver = (details: ActionDetails) => void | Promise<void>;

const KNOWN_PHASES = new Set(
  Object.values(ActionPhase).filter((v): v is number => typeof v === "number"),
);

/**
 * True once an action will not change again: a terminal phase, or a phase this schema does
 * not know that the server has nevertheless given an end time.
 */
export function isSettled(details: ActionDetails): boolean {
  const phase = details.status?.phase ?? ActionPhase.UNSPECIFIED;
  if (isTerminalPhase(phase)) return true;
  return !KNOWN_PHASES.has(phase) && details.status?.endTime !== undefined;
}

/**
 * The one loop behind `watch()` and `wait()`: it yields each new state of an action once,
 * and returns after the state that settles it. It never returns early.
 *
 * - A stream that ends cleanly before a terminal phase is re-subscribed after a short
 *   pause; a load balancer's idle timeout ends streams exactly like that.
 * - Transient errors, as the `silenceGrpcPollingError` hook judges them, reconnect with
 *   exponential backoff and jitter. The failure counter resets on every delivered message;
 *   when it runs out, the last error is thrown, decoded.
 * - After a reconnect the server resends the current state; updates already delivered are
 *   dropped, so nothing is seen twice.
 * - When streaming is unavailable (UNIMPLEMENTED, or a proxy that breaks every stream
 *   before its first message), the loop polls GetActionDetails instead.
 * - The caller's abort ends the loop at once with the signal's reason; the stream, its
 *   connection lease and every timer are released on the way out.
 */
export async function* watchAction(
  core: ClientCore,
  target: WatchTarget,
  signal: AbortSignal,
): AsyncGenerator<ActionDetails, void, undefined> {
  const actionId = create(ActionIdentifierSchema, {
    run: { org: target.org, project: target.project, domain: target.domain, name: target.runName },
    name: target.actionName,
  });
  const filter = new UpdateFilter();
  const gate = new FailureGate(core, target.runName, target.actionName);
  let everDelivered = false;
  let refreshedToken = false;
  let polling = false;
  const onMessage = () => {
    gate.delivered();
    everDelivered = true;
    refreshedToken = false;
  };

  for (;;) {
    if (signal.aborted) throw signal.reason;
    if (core.closed) throw closedDuringWatch(gate, method(polling));
    gate.attempt();
    const name = method(polling);
    try {
      if (polling) {
        const response = await core.rpc.getActionDetails({ actionId }, { signal });
        onMessage();
        const details = response.details;
        if (details !== undefined) {
          if (filter.accept(details)) yield details;
          if (isSettled(details)) return;
        }
        await sleep(core.watch.pollIntervalMs, signal);
        continue;
      }
      for await (const details of subscribeOnce(core, actionId, signal, onMessage)) {
        if (filter.accept(details)) yield details;
        if (isSettled(details)) return;
      }
      // A clean end before the terminal phase: subscribe again, never settle on it.
      await sleep(core.watch.cleanEndDelayMs, signal);
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      const decoded = gate.decode(error, name);
      if (!polling && decoded.code === "UNIMPLEMENTED") {
        polling = true;
        gate.reset();
        continue;
      }
      if (decoded instanceof AuthenticationError && core.token.refreshable && !refreshedToken) {
        refreshedToken = true;
        core.token.invalidate();
        continue;
      }
      if (gate.judge(decoded, name) === "spent") {
        // Streams that break before their first message, every time: a proxy that cannot
        // stream. Polling still works through it.
        if (polling || everDelivered) throw decoded;
        polling = true;
        gate.reset();
        continue;
      }
      await gate.pause(decoded, signal);
    }
  }
}

/**
 * One WatchActionDetails subscription on a leased connection. Where PINGs cannot detect a
 * dead connection, a stream silent for the idle timeout is ended so the loop restarts it.
 *
 * The server ends the stream right after the terminal state, so once that state is here
 * the stream is left to finish by itself rather than cancelled: a cancel costs an error
 * object and a reset frame per wait, which adds up when thousands settle at once. A
 * stream that does not finish soon is cancelled after all.
 */
async function* subscribeOnce(
  core: ClientCore,
  actionId: ActionIdentifier,
  signal: AbortSignal,
  onMessage: () => void,
): AsyncGenerator<ActionDetails, void, undefined> {
  const controller = new AbortController();
  const forward = () => controller.abort(signal.reason);
  signal.addEventListener("abort", forward, { once: true });
  let idle: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    if (core.connections.pings) return;
    clearTimeout(idle);
    idle = setTimeout(() => {
      controller.abort(
        new ConnectError(
          `no message on the watch stream for ${core.watch.idleTimeoutMs} ms`,
          Code.DeadlineExceeded,
        ),
      );
    }, core.watch.idleTimeoutMs);
  };
  let responses: AsyncIterator<{ details?: ActionDetails | undefined }> | undefined;
  let done = false;
  let settled = false;
  try {
    arm();
    responses = core.rpc
      .watchActionDetails({ actionId }, { signal: controller.signal })
      [Symbol.asyncIterator]();
    for (;;) {
      const next = await responses.next();
      if (next.done === true) {
        done = true;
        return;
      }
      arm();
      onMessage();
      const details = next.value.details;
      if (details === undefined) continue;
      settled = isSettled(details);
      yield details;
    }
  } finally {
    clearTimeout(idle);
    signal.removeEventListener("abort", forward);
    if (done || responses === undefined) {
      // Nothing left open.
    } else if (settled && !controller.signal.aborted) {
      drain(responses, controller);
    } else {
      controller.abort();
    }
  }
}

/** Lets a stream that has delivered its last state end by itself, within a bound. */
function drain(responses: AsyncIterator<unknown>, controller: AbortController): void {
  const limit = setTimeout(() => controller.abort(), 1_000);
  const finish = () => {
    clearTimeout(limit);
  };
  const step = (): void => {
    responses.next().then((next) => (next.done === true ? finish() : step()), finish);
  };
  step();
}

function method(polling: boolean): string {
  return polling ? "GetActionDetails" : "WatchActionDetails";
}

/** The client was closed under a watch: a clear error, not a loop retrying forever. */
function closedDuringWatch(gate: FailureGate, name: string): Error {
  return gate.decode(new ConnectError("the client is closed", Code.Canceled), name);
}
