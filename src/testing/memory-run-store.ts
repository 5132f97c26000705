/**
 * The in-memory {@link RunStore}: runs, their scripted timelines, holds,
 * aborts and watchers. No transport code, so a fetch-based handler can serve
 * the same store as the node server.
 *
 * @module
 */

import { clone, create } from "@bufbuild/protobuf";
import { type RunIdentifier, RunIdentifierSchema } from "../gen/flyteidl2/common/identifier_pb.js";
import {
  type EnrichedIdentity,
  EnrichedIdentitySchema,
} from "../gen/flyteidl2/common/identity_pb.js";
import { ActionPhase } from "../gen/flyteidl2/common/phase_pb.js";
import { type Inputs, InputsSchema } from "../gen/flyteidl2/task/common_pb.js";
import type { RunSpec } from "../gen/flyteidl2/task/run_pb.js";
import {
  type ActionDetails,
  ActionDetailsSchema,
  RunSource,
} from "../gen/flyteidl2/workflow/run_definition_pb.js";
import { type ActionModel, finish, newActionModel, toActionDetails } from "./action-model.js";
import { FaultState } from "./fault-plan.js";
import { generateRunName, maxRunNameLength } from "./run-name.js";
import {
  type CreateRunInput,
  defaultRunDefaults,
  type HeldEvent,
  type RunDefaults,
  type RunStore,
  RunStoreError,
  type RunStoreEvents,
  type RunStoreOptions,
  type TerminalEvent,
} from "./run-store.js";
import { parseScenario, type Scenario } from "./scenario.js";
import { isTerminalDetails } from "./terminal.js";
import { type TimelineStep, timelineOf } from "./timeline.js";

/** One run as the store keeps it; internal to the testing package. */
export interface RunRecord {
  readonly id: RunIdentifier;
  readonly scenario: Scenario;
  readonly runSpec: RunSpec | undefined;
  /** What CreateRun sent, served back by GetActionData. */
  readonly inputs: Inputs;
  readonly faults: FaultState;
  readonly createdAt: number;
  readonly model: ActionModel;
  current: ActionDetails;
  terminal: boolean;
  steps: TimelineStep[];
  next: number;
  timer: ReturnType<typeof setTimeout> | undefined;
  graceTimer: ReturnType<typeof setTimeout> | undefined;
  hold: boolean;
  /** The run stopped waiting for its watch faults to fire. */
  faultGraceOver: boolean;
  /** Waiting at the step before the terminal one, for a release or for its faults. */
  waiting: boolean;
  readonly watchers: Set<(details: ActionDetails) => void>;
  /** Log reads answered NOT_FOUND so far by the `late-logs` variant. */
  logMisses: number;
}

/** The store implementation; the server and the service reach its internals. */
export class RunStoreImpl implements RunStore {
  readonly speed: number;
  readonly defaults: RunDefaults;
  private readonly faultGraceMs: number;
  private readonly runs = new Map<string, RunRecord>();
  private readonly listeners = {
    terminal: new Set<(e: TerminalEvent) => void>(),
    held: new Set<(e: HeldEvent) => void>(),
  };
  private readonly changeListeners = new Set<(record: RunRecord) => void>();
  private disposed = false;

  constructor(options: RunStoreOptions = {}) {
    const speed = options.speed ?? 1;
    if (!(speed > 0) || !Number.isFinite(speed)) {
      throw new RangeError(`speed must be a positive finite number, got ${speed}`);
    }
    this.speed = speed;
    this.defaults = {
      org: options.org ?? defaultRunDefaults.org,
      project: options.project ?? defaultRunDefaults.project,
      domain: options.domain ?? defaultRunDefaults.domain,
    };
    this.faultGraceMs = options.faultGraceMs ?? 10_000;
  }

  create(input: CreateRunInput): RunIdentifier {
    return clone(RunIdentifierSchema, this.createRecord(input).id);
  }

  /** Creates a run, optionally with fault counters that earlier CreateRun calls already used. */
  createRecord(input: CreateRunInput, faults?: FaultState): RunRecord {
    const scenario = parseScenario(input.scenario);
    if ("error" in scenario) throw new RunStoreError("invalid-argument", scenario.error);
    const name = input.name ?? generateRunName();
    if (name.length === 0 || name.length > maxRunNameLength) {
      throw new RunStoreError(
        "invalid-argument",
        `run name must be 1 to ${maxRunNameLength} characters, got ${name.length}`,
      );
    }
    if (this.runs.has(name)) {
      throw new RunStoreError("already-exists", `run "${name}" already exists`);
    }
    const id = create(RunIdentifierSchema, {
      org: input.org || this.defaults.org,
      project: input.project || this.defaults.project,
      domain: input.domain || this.defaults.domain,
      name,
    });
    const now = Date.now();
    const model = newActionModel(id, scenario.name, now, input.source ?? RunSource.UNSPECIFIED);
    const record: RunRecord = {
      id,
      scenario,
      runSpec: input.runSpec,
      inputs: input.inputs ?? create(InputsSchema),
      faults: faults ?? new FaultState(scenario.faults),
      createdAt: now,
      model,
      current: toActionDetails(model),
      terminal: false,
      steps: timelineOf(scenario.outcome),
      next: 0,
      timer: undefined,
      graceTimer: undefined,
      hold: input.hold ?? false,
      faultGraceOver: false,
      waiting: false,
      watchers: new Set(),
      logMisses: 0,
    };
    this.runs.set(name, record);
    this.notifyChange(record);
    if (!this.disposed) this.schedule(record);
    return record;
  }

  release(names?: readonly string[]): void {
    const records =
      names === undefined
        ? [...this.runs.values()]
        : names.flatMap((n) => {
            const r = this.runs.get(n);
            return r === undefined ? [] : [r];
          });
    for (const record of records) {
      record.hold = false;
      this.resume(record);
    }
  }

  isHeld(name: string): boolean {
    const record = this.runs.get(name);
    return record?.waiting === true && record.hold;
  }

  whenHeld(names: readonly string[]): Promise<void> {
    const pending = new Set<string>();
    for (const name of names) {
      const record = this.runs.get(name);
      if (record === undefined) {
        return Promise.reject(new RunStoreError("not-found", `run "${name}" not found`));
      }
      if (!record.hold || record.terminal) {
        return Promise.reject(
          new RunStoreError("invalid-argument", `run "${name}" will not stop at a hold point`),
        );
      }
      if (!record.waiting) pending.add(name);
    }
    if (pending.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const off = this.on("held", (e) => {
        pending.delete(e.name);
        if (pending.size > 0) return;
        off();
        resolve();
      });
    });
  }

  get(name: string, action = "a0"): ActionDetails | undefined {
    const record = this.runs.get(name);
    if (record === undefined || action !== record.model.action) return undefined;
    return clone(ActionDetailsSchema, record.current);
  }

  push(name: string, details: ActionDetails): void {
    const record = this.mustGet(name);
    if (record.terminal) return;
    const copy = clone(ActionDetailsSchema, details);
    if (isTerminalDetails(copy)) {
      this.stopTimers(record);
      this.publish(record, copy, true);
    } else {
      this.publish(record, copy, false);
    }
  }

  abort(name: string, reason?: string, by?: string): void {
    const record = this.mustGet(name);
    if (record.terminal) return;
    this.stopTimers(record);
    finish(record.model, ActionPhase.ABORTED, Date.now(), {
      case: "abort",
      reason: reason ?? "User requested abort",
      abortedBy: identityOf(by ?? "local-user"),
    });
    this.publish(record, toActionDetails(record.model), true);
  }

  on<E extends keyof RunStoreEvents>(
    event: E,
    listener: (e: RunStoreEvents[E]) => void,
  ): () => void {
    const set = this.listeners[event] as Set<(e: RunStoreEvents[E]) => void>;
    set.add(listener);
    return () => set.delete(listener);
  }

  dispose(): void {
    this.disposed = true;
    for (const record of this.runs.values()) this.stopTimers(record);
  }

  /** The record of a run, if it exists. */
  record(name: string): RunRecord | undefined {
    return this.runs.get(name);
  }

  /** Every run, oldest first. */
  records(): RunRecord[] {
    return [...this.runs.values()];
  }

  /**
   * Subscribes to the run's changes; the listener gets each new state, the
   * terminal one last. Returns the unsubscribe function.
   */
  watch(record: RunRecord, listener: (details: ActionDetails) => void): () => void {
    record.watchers.add(listener);
    return () => record.watchers.delete(listener);
  }

  /** Subscribes to changes of any run (WatchRuns). */
  onChange(listener: (record: RunRecord) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  private mustGet(name: string): RunRecord {
    const record = this.runs.get(name);
    if (record === undefined) throw new RunStoreError("not-found", `run "${name}" not found`);
    return record;
  }

  private schedule(record: RunRecord): void {
    const step = record.steps[record.next];
    if (step === undefined || record.terminal) return;
    record.timer = setTimeout(() => {
      record.timer = undefined;
      if (step.terminal === true && this.blocked(record)) {
        this.wait(record);
        return;
      }
      this.applyStep(record);
    }, step.delayMs / this.speed);
  }

  private blocked(record: RunRecord): boolean {
    return record.hold || (record.faults.watchFaultsPending && !record.faultGraceOver);
  }

  private wait(record: RunRecord): void {
    record.waiting = true;
    if (record.hold) {
      const e: HeldEvent = {
        name: record.id.name,
        phase: record.model.phase,
        at: performance.now(),
      };
      for (const l of [...this.listeners.held]) l(e);
    }
    if (record.faults.watchFaultsPending && !record.faultGraceOver) {
      record.faults.onSettled(() => this.resume(record));
      record.graceTimer ??= setTimeout(() => {
        record.graceTimer = undefined;
        record.faultGraceOver = true;
        this.resume(record);
      }, this.faultGraceMs);
    }
  }

  private resume(record: RunRecord): void {
    if (!record.waiting || this.blocked(record) || this.disposed) return;
    this.forceResume(record);
  }

  private forceResume(record: RunRecord): void {
    if (!record.waiting || record.terminal || this.disposed) return;
    record.waiting = false;
    if (record.graceTimer !== undefined) clearTimeout(record.graceTimer);
    record.graceTimer = undefined;
    this.applyStep(record);
  }

  private applyStep(record: RunRecord): void {
    const step = record.steps[record.next];
    if (step === undefined) return;
    record.next++;
    step.apply(record.model, Date.now());
    this.publish(record, toActionDetails(record.model), step.terminal === true);
    if (!record.terminal) this.schedule(record);
  }

  private publish(record: RunRecord, details: ActionDetails, terminal: boolean): void {
    record.current = details;
    if (terminal) {
      record.terminal = true;
      record.waiting = false;
    }
    for (const w of [...record.watchers]) w(details);
    this.notifyChange(record);
    if (terminal) {
      const e: TerminalEvent = {
        name: record.id.name,
        phase: details.status?.phase ?? ActionPhase.UNSPECIFIED,
        at: performance.now(),
      };
      for (const l of [...this.listeners.terminal]) l(e);
    }
  }

  private notifyChange(record: RunRecord): void {
    for (const l of [...this.changeListeners]) l(record);
  }

  private stopTimers(record: RunRecord): void {
    if (record.timer !== undefined) clearTimeout(record.timer);
    if (record.graceTimer !== undefined) clearTimeout(record.graceTimer);
    record.timer = undefined;
    record.graceTimer = undefined;
  }
}

/** An EnrichedIdentity for a user named by subject or e-mail. */
export function identityOf(by: string): EnrichedIdentity {
  return create(EnrichedIdentitySchema, {
    principal: {
      case: "user",
      value: { id: { subject: by }, spec: by.includes("@") ? { email: by } : {} },
    },
  });
}

/** Creates an empty run store. */
export function createRunStore(options?: RunStoreOptions): RunStore {
  return new RunStoreImpl(options);
}
