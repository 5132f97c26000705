/**
 * The run store's public contract: what tests can do to the runs of a test
 * server. The implementation is in `memory-run-store.ts`.
 *
 * @module
 */

import type { RunIdentifier } from "../gen/flyteidl2/common/identifier_pb.js";
import type { Inputs } from "../gen/flyteidl2/task/common_pb.js";
import type { RunSpec } from "../gen/flyteidl2/task/run_pb.js";
import type { ActionDetails, RunSource } from "../gen/flyteidl2/workflow/run_definition_pb.js";

/** Defaults for the parts of a run identifier that a caller leaves out. */
export interface RunDefaults {
  readonly org: string;
  readonly project: string;
  readonly domain: string;
}

/**
 * The default org, project and domain: an empty org (as in a single-tenant
 * open-source deployment), and the project and domain of Flyte's examples.
 */
export const defaultRunDefaults: RunDefaults = {
  org: "",
  project: "flytesnacks",
  domain: "development",
};

/** Options of `createRunStore`. */
export interface RunStoreOptions {
  /** Multiplier on every timeline: 1 is human pace (a scenario takes 5 to 15 s). Default 1. */
  speed?: number | undefined;
  org?: string | undefined;
  project?: string | undefined;
  domain?: string | undefined;
  /**
   * How long (real milliseconds, not scaled by speed) a run with watch faults
   * waits for a watch to meet them before it finishes anyway. Default 10 000.
   */
  faultGraceMs?: number | undefined;
}

/** What {@link RunStore.create} takes. */
export interface CreateRunInput {
  /** At most 30 characters; the store picks one when left out. */
  name?: string | undefined;
  /** A scenario name such as `oom` or `stream-drop+oom`. */
  scenario: string;
  org?: string | undefined;
  project?: string | undefined;
  domain?: string | undefined;
  /** Stay just before the terminal step until {@link RunStore.release}. */
  hold?: boolean | undefined;
  /** Kept and returned by GetRunDetails. */
  runSpec?: RunSpec | undefined;
  /** Recorded in the action's metadata. */
  source?: RunSource | undefined;
  /** The run's inputs, served back by GetActionData; none when left out. */
  inputs?: Inputs | undefined;
}

/** The `terminal` event: a run reached its final state. */
export interface TerminalEvent {
  readonly name: string;
  readonly phase: number;
  /** `performance.now()` when the terminal state was written. */
  readonly at: number;
}

/** The `held` event: a held run reached its hold point and waits for release. */
export interface HeldEvent {
  readonly name: string;
  /** The phase it waits in (RUNNING for most outcomes, INITIALIZING for image pulls). */
  readonly phase: number;
  readonly at: number;
}

/** Events of a {@link RunStore}. */
export interface RunStoreEvents {
  terminal: TerminalEvent;
  held: HeldEvent;
}

/** The runs of a test server, scriptable from tests. */
export interface RunStore {
  /** The timeline speed multiplier. */
  readonly speed: number;
  /** The org, project and domain used when a caller leaves them out. */
  readonly defaults: RunDefaults;
  /**
   * Creates a run playing `input.scenario`, QUEUED at once.
   * @throws RunStoreError `invalid-argument` for an unknown scenario or a bad
   * name, `already-exists` when the name is taken.
   */
  create(input: CreateRunInput): RunIdentifier;
  /**
   * Lets held runs go on to their terminal step. Runs already waiting at their
   * hold point all write their terminal state in this call, one after the
   * other, so they finish "at the same moment". Without names, every held run.
   */
  release(names?: readonly string[]): void;
  /** Whether the run is waiting at its hold point right now. */
  isHeld(name: string): boolean;
  /**
   * Resolves once every named run waits at its hold point, at once for those already
   * there. Rejects with RunStoreError `not-found` for an unknown run, and
   * `invalid-argument` for one that will not stop there (created without `hold`, already
   * released, or ended), rather than waiting forever.
   */
  whenHeld(names: readonly string[]): Promise<void>;
  /** A copy of the current details of an action (`a0` by default). */
  get(name: string, action?: string): ActionDetails | undefined;
  /**
   * Makes `details` the run's current state and sends it to every watcher.
   * A terminal phase (or an unknown phase with `status.end_time`) ends the
   * run's timeline and its watches; any other phase leaves the timeline
   * running, so its next step overwrites the pushed state.
   */
  push(name: string, details: ActionDetails): void;
  /**
   * Moves a run to ABORTED with an AbortInfo naming `by` (a user subject, or
   * an e-mail). A run already in a terminal phase is left as it is.
   * @throws RunStoreError `not-found` for an unknown run.
   */
  abort(name: string, reason?: string, by?: string): void;
  /** Subscribes to an event; returns the unsubscribe function. */
  on<E extends keyof RunStoreEvents>(
    event: E,
    listener: (e: RunStoreEvents[E]) => void,
  ): () => void;
  /** Clears every timer. The store keeps its runs but nothing moves any more. */
  dispose(): void;
}

/** Why a store operation was refused; the service maps it to an RPC code. */
export class RunStoreError extends Error {
  override readonly name = "RunStoreError";
  readonly reason: "invalid-argument" | "already-exists" | "not-found";
  constructor(reason: RunStoreError["reason"], message: string) {
    super(message);
    this.reason = reason;
  }
}
