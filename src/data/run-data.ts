/**
 * `outputs()` and `inputs()` of a run or action: the phase checks around reading the data,
 * and the conversion into plain values.
 */

import {
  type DecodeContext,
  decodeActionDetails,
  isSuccessPhase,
  phaseName,
} from "../decode/index.js";
import { RuntimeUserError } from "../errors/index.js";
import { ActionPhase } from "../gen/flyteidl2/common/phase_pb.js";
import type { VariableMap } from "../gen/flyteidl2/core/interface_pb.js";
import type { ActionDetails } from "../gen/flyteidl2/workflow/run_definition_pb.js";
import { type ActionDataCalls, fetchActionData } from "./action-data.js";
import { fromNamedLiterals } from "./named-values.js";
import type { DataValue } from "./values.js";

/** Options of `outputs()`. */
export interface OutputsOptions {
  /**
   * What to do while the run is still going: wait for it (the default), or, with `false`,
   * reject at once with RuntimeUserError code `OutputsNotYetAvailable`.
   */
  wait?: boolean | undefined;
  signal?: AbortSignal | undefined;
  /** Bounds the wait, as `wait({ timeoutMs })` does. */
  timeoutMs?: number | undefined;
}

/** Options of `inputs()`. */
export interface InputsOptions {
  signal?: AbortSignal | undefined;
}

/** What `outputs()` and `inputs()` need from the handle they belong to. */
export interface DataHost {
  /** `run r1`, `action a1 of run r1`: the subject of messages. */
  readonly subject: string;
  readonly context: DecodeContext;
  details(signal?: AbortSignal): Promise<ActionDetails>;
  /** Waits until the action succeeds and resolves with its final details; rejects with its typed error. */
  waitForSuccess(options: OutputsOptions): Promise<ActionDetails>;
  readonly calls: ActionDataCalls;
}

/**
 * The outputs of a succeeded action as plain values, by name.
 *
 * A failed, aborted or timed-out action rejects with its typed error, exactly as `wait()`
 * does; one still going is waited for, or rejected at once with `{ wait: false }`.
 *
 * @throws RuntimeDataValidationError naming the first output that does not convert.
 */
export async function readOutputs(
  host: DataHost,
  options: OutputsOptions = {},
): Promise<Record<string, DataValue>> {
  let details = await host.details(options.signal);
  const failure = decodeActionDetails(details, host.context);
  if (failure !== undefined) throw failure;
  const phase = details.status?.phase ?? ActionPhase.UNSPECIFIED;
  if (!isSuccessPhase(phase)) {
    if (options.wait === false) {
      throw new RuntimeUserError({
        code: "OutputsNotYetAvailable",
        message: `${host.subject} is ${phaseName(phase)}: it has no outputs until it succeeds; call outputs() without { wait: false } to wait for them`,
        retryable: true,
        details: { phase },
      });
    }
    details = await host.waitForSuccess(options);
  }
  const data = await fetchActionData(host.calls, host.subject);
  return fromNamedLiterals(data.outputs?.literals ?? [], {
    direction: "output",
    taskName: taskNameOf(details),
    variables: interfaceOf(details, "outputs"),
  });
}

/** The inputs of an action as plain values, by name; available from its creation on. */
export async function readInputs(
  host: DataHost,
  options: InputsOptions = {},
): Promise<Record<string, DataValue>> {
  const details = await host.details(options.signal);
  const data = await fetchActionData(host.calls, host.subject);
  return fromNamedLiterals(data.inputs?.literals ?? [], {
    direction: "input",
    taskName: taskNameOf(details),
    variables: interfaceOf(details, "inputs"),
  });
}

/** The task's name for messages: its id's name, else its short name. */
export function taskNameOf(details: ActionDetails): string {
  const spec = details.metadata?.spec;
  if (spec?.case === "task") return spec.value.id?.name || spec.value.shortName;
  if (spec?.case === "trace" || spec?.case === "condition") return spec.value.name;
  return details.spec.case === "task" ? details.spec.value.shortName : "";
}

/** The declared inputs or outputs, when the details carry the task's or trace's interface. */
export function interfaceOf(
  details: ActionDetails,
  side: "inputs" | "outputs",
): VariableMap | undefined {
  const spec = details.spec;
  if (spec.case === "task") return spec.value.taskTemplate?.interface?.[side];
  if (spec.case === "trace") return spec.value.interface?.[side];
  return undefined;
}
