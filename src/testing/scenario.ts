/**
 * Scenario names: one outcome, optionally preceded by faults and data variants
 * joined with `+` (`stream-drop+oom`, `late-logs+succeed`). The task name of a
 * CreateRun picks the scenario, so a client under test needs no side channel to
 * script the server.
 *
 * @module
 */

/** Every outcome the test server can play, in catalogue order. */
export const OUTCOMES = [
  "succeed",
  "recovered",
  "user-error",
  "oom",
  "image-pull-backoff",
  "invalid-image",
  "primary-container-not-found",
  "interrupted",
  "retries-exhausted",
  "timeout",
  "aborted",
  "system-error",
  "unknown-error",
  "unknown-phase",
  "paused",
] as const;

/** Every transport or RPC fault that can precede an outcome. */
export const FAULTS = [
  "stream-drop",
  "clean-eos",
  "half-open",
  "unavailable",
  "slow-down",
  "idle-cut",
  "malformed",
] as const;

/** Variants of what the run's data and logs look like. */
export const DATA_VARIANTS = ["offloaded-outputs", "unconvertible-output", "late-logs"] as const;

/** The name of an outcome: how the run ends. */
export type OutcomeName = (typeof OUTCOMES)[number];

/** The name of a fault: how the server misbehaves on the way. */
export type FaultName = (typeof FAULTS)[number];

/** The name of a data variant: what the run's outputs or logs look like. */
export type DataVariantName = (typeof DATA_VARIANTS)[number];

/** A parsed scenario name. */
export interface Scenario {
  /** The name as given, e.g. `stream-drop+oom`. */
  readonly name: string;
  readonly outcome: OutcomeName;
  /** Faults in the order given, without duplicates. */
  readonly faults: readonly FaultName[];
  /** Data variants in the order given, without duplicates. */
  readonly data: readonly DataVariantName[];
}

const outcomeSet: ReadonlySet<string> = new Set(OUTCOMES);
const faultSet: ReadonlySet<string> = new Set(FAULTS);
const dataSet: ReadonlySet<string> = new Set(DATA_VARIANTS);

/** Whether `name` is an outcome name. */
export function isOutcomeName(name: string): name is OutcomeName {
  return outcomeSet.has(name);
}

/** Whether `name` is a fault name. */
export function isFaultName(name: string): name is FaultName {
  return faultSet.has(name);
}

/** Whether `name` is a data variant name. */
export function isDataVariantName(name: string): name is DataVariantName {
  return dataSet.has(name);
}

/**
 * Parses a scenario name, or explains why it is not one.
 *
 * An unknown name is an error rather than a silent `succeed`: a typo in a test
 * would otherwise pass for the wrong reason. CreateRun turns the explanation
 * into INVALID_ARGUMENT.
 */
export function parseScenario(name: string): Scenario | { readonly error: string } {
  const parts = name.split("+").map((p) => p.trim());
  const outcome = parts.pop() ?? "";
  if (!isOutcomeName(outcome)) {
    return {
      error: `unknown scenario "${name}": the last part must be an outcome (${OUTCOMES.join(", ")})`,
    };
  }
  const faults: FaultName[] = [];
  const data: DataVariantName[] = [];
  for (const part of parts) {
    if (isDataVariantName(part)) {
      if (!data.includes(part)) data.push(part);
      continue;
    }
    if (!isFaultName(part)) {
      return {
        error: `unknown fault "${part}" in scenario "${name}": faults are ${FAULTS.join(", ")}; data variants are ${DATA_VARIANTS.join(", ")}`,
      };
    }
    if (!faults.includes(part)) faults.push(part);
  }
  return { name, outcome, faults, data };
}
