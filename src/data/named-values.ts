/**
 * A task's inputs and outputs as named values: the `Inputs` and `Outputs` messages one way,
 * records of plain values the other, checked against the task's interface when it is known.
 */

import { create } from "@bufbuild/protobuf";
import type { VariableMap } from "../gen/flyteidl2/core/interface_pb.js";
import type { Literal } from "../gen/flyteidl2/core/literals_pb.js";
import type { LiteralType } from "../gen/flyteidl2/core/types_pb.js";
import {
  type Inputs,
  InputsSchema,
  type NamedLiteral,
  type NamedParameter,
} from "../gen/flyteidl2/task/common_pb.js";
import { ConversionFailure } from "./conversion-failure.js";
import { fromLiteral } from "./from-literal.js";
import { isNoneType } from "./literal-types.js";
import { toLiteral } from "./to-literal.js";
import { validationError } from "./validation-error.js";
import type { DataValue, NamedValues } from "./values.js";

/** Options of {@link fromNamedLiterals}. */
export interface ReadOptions {
  /** The task's name, for error messages. */
  readonly taskName?: string | undefined;
  /** The declared variables, when the interface is known. */
  readonly variables?: VariableMap | undefined;
  readonly direction: "input" | "output";
}

/**
 * Converts named literals into a record of plain values, in the order they came.
 *
 * @throws RuntimeDataValidationError naming the first variable that does not convert.
 */
export function fromNamedLiterals(
  literals: readonly NamedLiteral[],
  options: ReadOptions,
): Record<string, DataValue> {
  const declared = typesOf(options.variables);
  const out: Record<string, DataValue> = {};
  for (const { name, value } of literals) {
    const literal = value;
    try {
      if (literal === undefined) throw new ConversionFailure("the server sent no literal");
      Object.defineProperty(out, name, {
        value: fromLiteral(literal, declared.get(name)),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } catch (e) {
      throw validationError(name, e, {
        taskName: options.taskName ?? "",
        direction: options.direction,
        ...(literal === undefined ? {} : { literal }),
      });
    }
  }
  return out;
}

/** Options of {@link toInputs}. */
export interface WriteOptions {
  readonly taskName?: string | undefined;
  /** The task's declared inputs: when given, names and types are checked before any RPC. */
  readonly variables?: VariableMap | undefined;
  /** Registered defaults, used for inputs the caller leaves out. */
  readonly defaults?: readonly NamedParameter[] | undefined;
}

/**
 * Converts plain values into the `Inputs` of a CreateRun.
 *
 * Without declared variables each value becomes the literal its own kind suggests. With
 * them, as the Python SDK does: inputs come in the interface's order, a left-out input takes
 * its registered default, or None when its type is optional; an unknown name, a missing
 * required input or a value of the wrong type fails.
 *
 * @throws RuntimeDataValidationError naming the input, before any RPC is made.
 */
export function toInputs(values: NamedValues, options: WriteOptions = {}): Inputs {
  const taskName = options.taskName ?? "";
  const fail = (name: string, failure: unknown) =>
    validationError(name, failure, { taskName, direction: "input" });
  const convert = (name: string, value: unknown, type?: LiteralType): Literal => {
    try {
      return toLiteral(value, type);
    } catch (e) {
      throw fail(name, e);
    }
  };
  const entries = Object.entries(values);
  const variables = options.variables?.variables;
  if (variables === undefined) {
    return create(InputsSchema, {
      literals: entries.map(([name, value]) => ({ name, value: convert(name, value) })),
    });
  }
  const known = new Set(variables.map((v) => v.key));
  for (const [name] of entries) {
    if (!known.has(name)) {
      throw fail(
        name,
        new ConversionFailure(
          `the task has no input named ${JSON.stringify(name)}; its inputs are ${[...known].join(", ") || "(none)"}`,
        ),
      );
    }
  }
  const given = new Map(entries);
  const defaults = new Map<string, Literal>();
  for (const p of options.defaults ?? []) {
    const behavior = p.parameter?.behavior;
    if (behavior?.case === "default") defaults.set(p.name, behavior.value);
  }
  const literals: { name: string; value: Literal }[] = [];
  for (const { key: name, value: variable } of variables) {
    const type = variable?.type;
    if (given.has(name)) {
      literals.push({ name, value: convert(name, given.get(name), type) });
      continue;
    }
    const fallback = defaults.get(name);
    if (fallback !== undefined) {
      literals.push({ name, value: fallback });
    } else if (type !== undefined && isOptional(type)) {
      literals.push({ name, value: convert(name, null, type) });
    } else {
      throw fail(
        name,
        new ConversionFailure("the input is required and has no default, but no value was given"),
      );
    }
  }
  return create(InputsSchema, { literals });
}

function isOptional(type: LiteralType): boolean {
  return type.type.case === "unionType" && type.type.value.variants.some(isNoneType);
}

function typesOf(variables: VariableMap | undefined): Map<string, LiteralType> {
  const out = new Map<string, LiteralType>();
  for (const v of variables?.variables ?? []) {
    if (v.value?.type !== undefined) out.set(v.key, v.value.type);
  }
  return out;
}
