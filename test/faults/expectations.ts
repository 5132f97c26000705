/**
 * What every fault suite checks of every wait: the exact outcome the scenario catalogue
 * promises, each phase delivered once and in order, and no secret anywhere.
 */

import { inspect } from "node:util";
import { isFlyteError } from "../../src/errors/index.js";
import {
  createClient,
  type FlyteClient,
  type RunResult,
  type RunUpdate,
  type WatchOptions,
} from "../../src/index.node.js";
import { type OutcomeInfo, outcomeCatalogue } from "../../src/testing/index.js";

/** Every outcome that ends by itself (all but `paused`). */
export const TERMINAL_OUTCOMES: readonly OutcomeInfo[] = outcomeCatalogue.filter((o) => o.terminal);

/** One wait under observation. */
export interface WatchedWait {
  readonly name: string;
  readonly outcome: OutcomeInfo;
  /** Every onPhase delivery, in order. */
  readonly updates: { phase: number; attempt: number }[];
  /** `phase/attempt` keys delivered more than once. */
  readonly duplicates: string[];
  result?: { ok: true; value: RunResult } | { ok: false; error: unknown };
  /** `performance.now()` when the wait settled. */
  settledAt?: number;
  readonly done: Promise<void>;
}

/** Starts `client.getRun(name).wait()` and records what it delivers and how it settles. */
export function watchWait(
  client: FlyteClient,
  name: string,
  outcome: OutcomeInfo,
  options: { timeoutMs: number; onPhase?: (update: RunUpdate) => void },
): WatchedWait {
  const seen = new Set<string>();
  const wait: Omit<WatchedWait, "done"> = { name, outcome, updates: [], duplicates: [] };
  const done = client
    .getRun(name)
    .wait({
      timeoutMs: options.timeoutMs,
      onPhase: (update) => {
        const key = `${update.phase}/${update.attempt}`;
        if (seen.has(key)) wait.duplicates.push(key);
        seen.add(key);
        wait.updates.push({ phase: update.phase, attempt: update.attempt });
        options.onPhase?.(update);
      },
    })
    .then(
      (value) => {
        wait.result = { ok: true, value };
      },
      (error: unknown) => {
        wait.result = { ok: false, error };
      },
    )
    .finally(() => {
      wait.settledAt = performance.now();
    });
  return Object.assign(wait, { done });
}

/**
 * Why a settled wait is not exactly what its scenario promises, or `undefined` when it is.
 * Covers early returns (resolving on a non-terminal phase or on a failure), the wrong class,
 * kind, code or attempts, duplicate and out-of-order phases, and hangs (TimeoutError).
 */
export function verdict(wait: WatchedWait): string | undefined {
  const { outcome, result } = wait;
  const settledAs =
    result === undefined ? "" : result.ok ? result.value.phaseName : describe(result.error);
  const where = `${wait.name} (${outcome.name} → ${settledAs})`;
  if (result === undefined) return `${where}: never settled`;
  if (wait.duplicates.length > 0)
    return `${where}: onPhase delivered ${wait.duplicates.join(", ")} twice`;
  const order = phaseOrderProblem(wait);
  if (order !== undefined) return `${where}: ${order}`;
  if (outcome.success) {
    if (!result.ok) return `${where}: expected success, got ${describe(result.error)}`;
    if (result.value.phase !== outcome.finalPhase)
      return `${where}: EARLY RETURN: resolved in phase ${result.value.phaseName}`;
    if (result.value.attempts !== outcome.attempts)
      return `${where}: resolved with ${result.value.attempts} attempts, expected ${outcome.attempts}`;
    return undefined;
  }
  if (result.ok) return `${where}: EARLY RETURN: resolved in phase ${result.value.phaseName}`;
  const error = result.error;
  if (!isFlyteError(error)) return `${where}: rejected with a non-FlyteError ${describe(error)}`;
  if (error.name !== outcome.errorClass)
    return `${where}: expected ${outcome.errorClass}, got ${describe(error)}`;
  if (error.kind !== outcome.errorKind)
    return `${where}: expected kind ${outcome.errorKind}, got ${error.kind}`;
  if (outcome.code !== undefined && error.code !== outcome.code)
    return `${where}: expected code ${outcome.code}, got ${error.code}`;
  if (outcome.name !== "aborted" && error.attempts !== outcome.attempts)
    return `${where}: expected ${outcome.attempts} attempts, got ${error.attempts}`;
  return undefined;
}

/**
 * The delivered phases must be a subsequence of the catalogue's phases, per attempt: a
 * reconnect may skip states that changed while the watch was down, never reorder them.
 */
function phaseOrderProblem(wait: WatchedWait): string | undefined {
  const expected = wait.outcome.phases;
  let cursor = 0;
  for (const update of wait.updates) {
    while (cursor < expected.length && expected[cursor] !== update.phase) cursor++;
    if (cursor === expected.length) {
      return `phase ${update.phase} (attempt ${update.attempt}) out of order in ${wait.updates
        .map((u) => `${u.phase}/${u.attempt}`)
        .join(" ")}`;
    }
    cursor++;
  }
  const last = wait.updates.at(-1);
  if (last?.phase !== wait.outcome.finalPhase) {
    return `last delivered phase ${last?.phase} is not ${wait.outcome.finalPhase}`;
  }
  return undefined;
}

/** A short description of a settled value, for failure messages. */
export function describe(value: unknown): string {
  if (isFlyteError(value))
    return `${value.name} [${value.code}] (${value.kind}): ${value.rawMessage}`;
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  return String(value);
}

/**
 * Every rendering of `values` a user could log or send: String(), message, stack, JSON,
 * problem details and util.inspect. Returns those that contain `secret`.
 */
export function secretLeaks(secret: string, values: readonly unknown[]): string[] {
  const leaks: string[] = [];
  for (const value of values) {
    const renderings: [string, () => string][] = [
      ["String", () => String(value)],
      ["inspect", () => inspect(value, { depth: 8 })],
      ["JSON", () => JSON.stringify(value) ?? ""],
    ];
    if (value instanceof Error) {
      renderings.push(["message", () => value.message], ["stack", () => value.stack ?? ""]);
    }
    if (isFlyteError(value)) {
      renderings.push(
        ["toJSON", () => JSON.stringify(value.toJSON({ stack: true }))],
        ["problem details", () => JSON.stringify(value.toProblemDetails())],
      );
    }
    for (const [how, render] of renderings) {
      let text: string;
      try {
        text = render();
      } catch (e) {
        text = `rendering threw: ${String(e)}`;
      }
      if (text.includes(secret)) leaks.push(`${how} of ${describe(value)}`);
    }
  }
  return leaks;
}

/** A bearer token for one suite, unlikely to appear anywhere by chance. */
export function testToken(label: string): string {
  return `flyte-fault-${label}-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
}

/** Counts unhandled rejections while `fn` runs. */
export async function countUnhandledRejections<T>(
  fn: () => Promise<T>,
): Promise<{ value: T; unhandled: unknown[] }> {
  const unhandled: unknown[] = [];
  const listener = (reason: unknown) => void unhandled.push(reason);
  process.on("unhandledRejection", listener);
  try {
    const value = await fn();
    // Rejections are reported after the microtask queue drains; give them a turn.
    await new Promise((resolve) => setTimeout(resolve, 50));
    return { value, unhandled };
  } finally {
    process.off("unhandledRejection", listener);
  }
}

/** What every fault suite records from the client's `onPollingError`. */
export interface PolledError {
  error: unknown;
  line: string;
}

/**
 * The client every fault suite drives: the suite's token and watch settings, and a log of
 * every error the watch loop silenced, so the suites can check that a fault reached the loop
 * and that the token never appears in what it logged.
 */
export function faultClient(
  endpoint: string,
  token: string,
  watch: WatchOptions,
): { client: FlyteClient; polled: PolledError[] } {
  const polled: PolledError[] = [];
  const client = createClient({
    endpoint,
    token,
    project: "flytesnacks",
    domain: "development",
    watch,
    // The suites state one liveness budget: a dead connection is found within it, by a
    // PING after half of it and a PING timeout of the other half.
    ...(watch.idleTimeoutMs === undefined
      ? {}
      : { keepalive: { intervalMs: watch.idleTimeoutMs / 2, timeoutMs: watch.idleTimeoutMs / 2 } }),
    onPollingError: (error, context) => {
      polled.push({
        error,
        line: `${context.method} ${context.runName} #${context.consecutiveFailures}: ${String(error)}`,
      });
    },
  });
  return { client, polled };
}
