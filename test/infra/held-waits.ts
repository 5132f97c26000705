/**
 * The runs of an infrastructure suite: one per wait, cycling through every terminal outcome,
 * each held before its last step until the suite releases it, so the suite decides how long
 * each run lasts; and a wait on each, recorded for the fault suites' verdict.
 */

import type { FlyteClient } from "../../src/client/index.js";
import type { RunStore } from "../../src/testing/index.js";
import { TERMINAL_OUTCOMES, type WatchedWait, watchWait } from "../faults/expectations.js";

/** What {@link startHeldWaits} started. */
export interface HeldWaits {
  readonly names: readonly string[];
  readonly waits: readonly WatchedWait[];
  /** Runs whose wait has delivered at least one phase. */
  readonly watching: ReadonlySet<string>;
  /** Resolves once every wait has delivered its first phase. */
  readonly allWatching: Promise<void>;
  /** Resolves once every wait has settled. */
  readonly done: Promise<void>;
}

/** Creates `count` held runs named `<prefix>-<i>` and starts a wait on each. */
export function startHeldWaits(
  store: RunStore,
  client: FlyteClient,
  prefix: string,
  count: number,
  timeoutMs: number,
): HeldWaits {
  const names: string[] = [];
  const waits: WatchedWait[] = [];
  const watching = new Set<string>();
  let allWatching: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    allWatching = resolve;
  });
  for (let i = 0; i < count; i++) {
    const outcome = TERMINAL_OUTCOMES[i % TERMINAL_OUTCOMES.length]!;
    const name = `${prefix}-${i}`;
    names.push(name);
    store.create({ name, scenario: outcome.name, hold: true });
    const onPhase = () => {
      if (watching.has(name)) return;
      watching.add(name);
      if (watching.size === count) allWatching();
    };
    waits.push(watchWait(client, name, outcome, { timeoutMs, onPhase }));
  }
  return {
    names,
    waits,
    watching,
    allWatching: ready,
    done: Promise.all(waits.map((w) => w.done)).then(() => {}),
  };
}
