/**
 * flyte-remote's data room: Flyte literals to and from plain JavaScript values, the typed
 * references that stand for files, directories and datasets, and the named inputs and
 * outputs of tasks. This index is the public part; the client reaches the rest directly.
 */

export type { ActionDataUris } from "./action-data.js";
export { checkInlineInputs, DEFAULT_MAX_INLINE_BYTES } from "./inline-limit.js";
export { dataValueToJson } from "./json-value.js";
export {
  describeType,
  type InterfaceSpec,
  taskInterface,
  types,
} from "./literal-types.js";
export {
  fromNamedLiterals,
  type ReadOptions,
  toInputs,
  type WriteOptions,
} from "./named-values.js";
export {
  type DataRef,
  type DatasetColumn,
  DatasetRef,
  DirectoryRef,
  FileRef,
  isDataRef,
  OffloadedRef,
} from "./references.js";
export type { InputsOptions, OutputsOptions } from "./run-data.js";
export type { InterfaceOption } from "./run-inputs.js";
export {
  type DataValue,
  type DurationInput,
  type DurationValue,
  duration,
  type FloatInput,
  type FloatValue,
  float,
  type InputValue,
  type NamedValues,
} from "./values.js";
