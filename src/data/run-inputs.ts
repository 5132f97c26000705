/**
 * The inputs of a CreateRun: converted from plain values, checked against the task's
 * interface when the caller gives it or asks the client to fetch it, and held to the inline
 * size limit, all before the RPC.
 */

import { isFlyteError } from "../errors/index.js";
import type { TypedInterface } from "../gen/flyteidl2/core/interface_pb.js";
import type { Inputs, NamedParameter } from "../gen/flyteidl2/task/common_pb.js";
import type { TaskDetails } from "../gen/flyteidl2/task/task_definition_pb.js";
import { checkInlineInputs, DEFAULT_MAX_INLINE_BYTES } from "./inline-limit.js";
import { toInputs } from "./named-values.js";
import type { NamedValues } from "./values.js";

/**
 * How `createRun` checks inputs: against an interface you give (see `taskInterface()`), or
 * `"fetch"` to read the registered task's interface and defaults with
 * TaskService.GetTaskDetails first. Without it, each value is sent as its own kind suggests.
 */
export type InterfaceOption = TypedInterface | "fetch";

/** What {@link prepareRunInputs} needs. */
export interface RunInputsOptions {
  readonly taskName: string;
  readonly interface?: InterfaceOption | undefined;
  /** The inline limit; default {@link DEFAULT_MAX_INLINE_BYTES}. */
  readonly maxBytes?: number | undefined;
  /** GetTaskDetails of the task, for `interface: "fetch"`; rejects with a decoded error. */
  fetchTask(): Promise<TaskDetails | undefined>;
}

/**
 * Converts and checks a run's inputs.
 *
 * @throws RuntimeDataValidationError for a value that does not fit (naming the input);
 * InlineIOMaxBytesBreached when the encoded inputs exceed the limit; with `"fetch"`, the
 * decoded error of GetTaskDetails (ActionNotFoundError for a task that does not exist). A
 * server without TaskService (UNIMPLEMENTED) leaves the inputs unchecked.
 */
export async function prepareRunInputs(
  values: NamedValues,
  options: RunInputsOptions,
): Promise<Inputs> {
  let iface: TypedInterface | undefined;
  let defaults: readonly NamedParameter[] = [];
  if (options.interface === "fetch") {
    try {
      const task = await options.fetchTask();
      iface = task?.spec?.taskTemplate?.interface;
      defaults = task?.spec?.defaultInputs ?? [];
    } catch (e) {
      if (!(isFlyteError(e) && e.code === "UNIMPLEMENTED")) throw e;
    }
  } else {
    iface = options.interface;
  }
  const inputs = toInputs(values, {
    taskName: options.taskName,
    variables: iface?.inputs,
    defaults,
  });
  checkInlineInputs(inputs, options.maxBytes ?? DEFAULT_MAX_INLINE_BYTES, options.taskName);
  return inputs;
}
